package org.poollab.plugins.otk;

import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.api.pooling.TokenOrder;

/**
 * OTK (Mialon et al.; docs/method.md §4): an entropic transport plan {@code P} between the N tokens and p learned
 * reference vectors, with kernel {@code exp(<x_i, z_j> / eps)}, row marginals {@code p / N} and column marginals 1,
 * found by log-domain Sinkhorn iterations (each a row then a column scaling, so the columns are exact). The output is
 * one plan-weighted sum of tokens per reference, {@code u_j = sum_i P_ij x_i}, concatenated: width {@code p d}. With
 * one reference the plan is uniform and OTK equals GAP, whatever eps or the number of iterations.
 */
@Extension
public final class OptimalTransportPooling implements Pooling {

    @Override
    public String id() {
        return "otk";
    }

    @Override
    public String description() {
        return "Optimal transport kernel embedding: Sinkhorn plan to p learned references, one weighted sum of "
                + "tokens per reference (width p d); map = the plan averaged over references.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.intParam("refs", 1, "learned reference vectors p (output width p d)").min(1).max(64),
                ParamSpec.intParam("iterations", 1, "Sinkhorn iterations").min(1).max(200),
                ParamSpec.doubleParam("eps", 0.1, "entropic regularisation (kernel temperature)").min(1e-4));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        int refs = params.getInt("refs");
        int iterations = params.getInt("iterations");
        double eps = params.getDouble("eps");
        return new PoolingModule() {
            @Override
            public int outputDim(int featureDim) {
                return refs * featureDim;
            }

            @Override
            public PoolingResult pool(GraphScope scope, Features features) {
                return OptimalTransportPooling.pool(scope, features, refs, iterations, eps);
            }
        };
    }

    /** tokens {@code [B, N, d]} -> {@code [B, p d]}; map {@code [B, N]}. */
    private static PoolingResult pool(GraphScope scope, Features features, int refs, int iterations, double eps) {
        SameDiff sd = scope.sd();
        int n = features.grid().tokens();
        int d = features.dim();
        SDVariable tokens = features.tokens();
        if (refs == 1) {
            // One reference: every row scaling makes the plan uniform and no step depends on the reference, so it
            // would be a parameter without a gradient. The closed form is the mean with a uniform map.
            SDVariable mean = tokens.mean(1); // [B, d]
            return new PoolingResult(mean, Optional.of(sd.onesLike(tokens.sum(2)).mul(1.0 / n)));
        }
        SDVariable references = scope.parameter("references",
                scope.init().truncatedNormal(Layers.WEIGHT_STD, d, refs)); // [d, p]
        SDVariable logKernel = tokens.reshape(-1, d).mmul(references).reshape(-1, n, refs).mul(1.0 / eps);
        SDVariable rowPotential = sd.zerosLike(logKernel.sum(true, 2)); // [B, N, 1]
        SDVariable columnPotential = sd.zerosLike(logKernel.sum(true, 1)); // [B, 1, p]
        double logRowMass = Math.log((double) refs / n);
        for (int i = 0; i < iterations; i++) {
            rowPotential = logSumExp(sd, logKernel.add(columnPotential), 2).rsub(logRowMass);
            columnPotential = logSumExp(sd, logKernel.add(rowPotential), 1).neg();
        }
        SDVariable plan = sd.math.exp(logKernel.add(rowPotential).add(columnPotential)); // [B, N, p]
        SDVariable pooled = sd.mmul(plan, tokens, true, false, false).reshape(-1, (long) refs * d); // [B, p d]
        SDVariable map = plan.mean(2); // columns sum to 1: the mean over references sums to 1 over N
        return new PoolingResult(pooled, Optional.of(map));
    }

    /** Stable {@code log sum exp} along {@code axis}, kept as a size-1 axis. */
    private static SDVariable logSumExp(SameDiff sd, SDVariable x, int axis) {
        SDVariable max = x.max(true, axis);
        return sd.math.log(sd.math.exp(x.sub(max)).sum(true, axis)).add(max);
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}
