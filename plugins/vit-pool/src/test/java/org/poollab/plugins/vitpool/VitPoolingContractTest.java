package org.poollab.plugins.vitpool;

import java.util.Set;
import org.poollab.api.graph.Layers;
import org.poollab.api.pooling.Pooling;
import org.poollab.testkit.PoolingContract;

/** The pooling contract of the test kit, as any plugin's own test runs it. */
class VitPoolingContractTest extends PoolingContract {

    /** The key bias adds the same q . b to every logit of a query; the softmax over keys removes it. */
    @Override
    protected Set<String> parametersWithoutGradient() {
        return Set.of("attn/k/b");
    }

    @Override
    protected Pooling pooling() {
        return new VitPooling(new Layers());
    }
}
