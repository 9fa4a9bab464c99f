package org.poollab.plugins.simpool;

import jakarta.inject.Inject;
import java.util.List;
import org.pf4j.Extension;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.TokenOrder;

/** SimPool (Psomas et al., ICCV 2023; docs/method.md §3): attention pooling initialised by GAP. */
@Extension
public final class SimPool implements Pooling {

    private final Layers layers;

    /** @param layers shared graph building blocks (LayerNorm with eps, linear maps, softmax) */
    @Inject
    public SimPool(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "simpool";
    }

    @Override
    public String description() {
        return "SimPool: GAP query attends to LayerNorm-ed tokens; optional power mean (gamma) and beta.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.optionalDouble("gamma",
                        "power-mean exponent; none = weighted mean of normalised tokens (paper: 1.25 ViT, 2.0 CNN)")
                        .min(1e-3),
                ParamSpec.boolParam("beta", true, "learnable scalar added to the output in gamma mode (init 0)"),
                ParamSpec.choice("minScope", "sample", List.of("sample", "batch"),
                        "scope of the minimum m in gamma mode; batch reproduces the reference code exactly"),
                ParamSpec.intParam("heads", 1, "attention heads (must divide d)").min(1),
                ParamSpec.boolParam("qkBias", false, "bias in the query and key maps"),
                ParamSpec.doubleParam("eps", 1e-6, "epsilon of the LayerNorm and of the power mean").min(0));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        SimPoolSettings settings = SimPoolSettings.from(params, dim);
        return new SimPoolModule(layers, settings);
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}
