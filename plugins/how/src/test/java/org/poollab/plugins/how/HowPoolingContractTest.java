package org.poollab.plugins.how;

import org.poollab.api.graph.Layers;
import org.poollab.api.pooling.Pooling;
import org.poollab.testkit.PoolingContract;

/** The pooling contract of the test kit, as any plugin's own test runs it. */
class HowPoolingContractTest extends PoolingContract {

    @Override
    protected Pooling pooling() {
        return new HowPooling(new Layers());
    }
}
