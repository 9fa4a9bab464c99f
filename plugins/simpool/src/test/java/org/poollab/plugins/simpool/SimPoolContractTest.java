package org.poollab.plugins.simpool;

import org.poollab.api.graph.Layers;
import org.poollab.api.pooling.Pooling;
import org.poollab.testkit.PoolingContract;

/** The pooling contract of the test kit, as any plugin's own test runs it. */
class SimPoolContractTest extends PoolingContract {

    @Override
    protected Pooling pooling() {
        return new SimPool(new Layers());
    }
}
