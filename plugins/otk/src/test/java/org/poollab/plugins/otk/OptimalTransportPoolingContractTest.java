package org.poollab.plugins.otk;

import org.poollab.api.pooling.Pooling;
import org.poollab.testkit.PoolingContract;

/** The pooling contract of the test kit, as any plugin's own test runs it. */
class OptimalTransportPoolingContractTest extends PoolingContract {

    @Override
    protected Pooling pooling() {
        return new OptimalTransportPooling();
    }
}
