package org.poollab.plugins.lse;

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
 * Log-sum-exp pooling (docs/method.md §4): {@code u = m + (1/r) log mean_j exp(r (x_j - m))} per channel with
 * {@code m = max_j x_j} (for stability; u does not depend on it). r → ∞ gives the max, r → 0 the mean.
 */
@Extension
public final class LogSumExpPooling implements Pooling {

    @Override
    public String id() {
        return "lse";
    }

    @Override
    public String description() {
        return "Log-sum-exp: a smooth per-channel maximum, m + (1/r) log mean exp(r (x - m)); no attention map.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.doubleParam("r", 10.0, "the sharpness r (initial value when learned)").min(1e-6).max(1e6),
                ParamSpec.boolParam("learnR", true, "learn r as a parameter"));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        double r = params.getDouble("r");
        boolean learned = params.getBoolean("learnR");
        return (scope, features) -> pool(scope, features, r, learned);
    }

    /** tokens {@code [B, N, d]} -> {@code [B, d]}. */
    private static PoolingResult pool(GraphScope scope, Features features, double r, boolean learned) {
        SameDiff sd = scope.sd();
        SDVariable tokens = features.tokens();
        SDVariable max = tokens.max(true, 1); // [B, 1, d]
        SDVariable sharpness = scope.scalar("r", r, learned);
        SDVariable logMean = sd.math.log(sd.math.exp(tokens.sub(max).mul(sharpness)).mean(1)); // [B, d]
        // times 1/r, not divided by r: M2.1's broadcast div gets the divisor's gradient wrong
        SDVariable pooled = max.reshape(-1, features.dim()).add(logMean.mul(sharpness.rdiv(1.0)));
        return new PoolingResult(pooled, Optional.empty());
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}
