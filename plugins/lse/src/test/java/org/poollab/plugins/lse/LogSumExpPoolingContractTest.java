package org.poollab.plugins.lse;

import org.poollab.api.pooling.Pooling;
import org.poollab.testkit.PoolingContract;

/** The pooling contract of the test kit, as any plugin's own test runs it. */
class LogSumExpPoolingContractTest extends PoolingContract {

    @Override
    protected Pooling pooling() {
        return new LogSumExpPooling();
    }
}
