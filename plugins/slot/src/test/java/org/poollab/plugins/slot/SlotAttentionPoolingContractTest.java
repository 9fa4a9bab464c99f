package org.poollab.plugins.slot;

import java.util.Set;
import org.poollab.api.graph.Layers;
import org.poollab.api.pooling.Pooling;
import org.poollab.testkit.PoolingContract;

/** The pooling contract of the test kit, as any plugin's own test runs it. */
class SlotAttentionPoolingContractTest extends PoolingContract {

    /**
     * The slots' norm bias shifts every slot's query alike, adding a per-token constant to the logits; the
     * softmax over slots removes it.
     */
    @Override
    protected Set<String> parametersWithoutGradient() {
        return Set.of("norm_slots/bias");
    }

    @Override
    protected Pooling pooling() {
        return new SlotAttentionPooling(new Layers());
    }
}
