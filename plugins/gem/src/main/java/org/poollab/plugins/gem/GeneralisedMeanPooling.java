package org.poollab.plugins.gem;

import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.api.pooling.TokenOrder;

/**
 * GeM (docs/method.md §4): {@code u = (mean_j max(x_j, eps)^p)^(1/p)} per channel. p = 1 is the mean of the clamped
 * features, large p tends to the max. p is a fixed value or a learned scalar.
 */
@Extension
public final class GeneralisedMeanPooling implements Pooling {

    @Override
    public String id() {
        return "gem";
    }

    @Override
    public String description() {
        return "Generalised mean: (mean_j max(x_j, eps)^p)^(1/p) per channel; no attention map.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.doubleParam("p", 3.0, "the power p (initial value when learned)").min(0.1).max(100),
                ParamSpec.boolParam("learnP", false, "learn p as a parameter"),
                ParamSpec.doubleParam("eps", 1e-6, "features are clamped to at least eps").min(1e-12).max(1));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        double p = params.getDouble("p");
        boolean learned = params.getBoolean("learnP");
        double eps = params.getDouble("eps");
        return (scope, features) -> pool(scope, features, p, learned, eps);
    }

    /** tokens {@code [B, N, d]} -> {@code [B, d]}; computed as {@code exp(log(mean exp(p log x)) / p)}. */
    private static PoolingResult pool(GraphScope scope, Features features, double p, boolean learned, double eps) {
        SameDiff sd = scope.sd();
        SDVariable clamped = sd.nn.relu(features.tokens().sub(eps), 0).add(eps); // max(x, eps), [B, N, d]
        SDVariable logs = sd.math.log(clamped);
        SDVariable power = scope.scalar("p", p, learned);
        SDVariable logMean = sd.math.log(sd.math.exp(logs.mul(power)).mean(1)); // [B, d]
        // times 1/p, not divided by p: M2.1's broadcast div gets the divisor's gradient wrong
        SDVariable pooled = sd.math.exp(logMean.mul(power.rdiv(1.0)));
        return new PoolingResult(pooled, Optional.empty());
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}
