package org.poollab.plugins.gmp;

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
 * Generalised max pooling (Murray and Perronnin; docs/method.md §4): token weights {@code alpha} solving
 * {@code (X X^T + lambda I) alpha = 1} per image, so every token's similarity to the pooled vector
 * {@code u = X^T alpha} is about equal (frequent patterns are down-weighted). The system is solved by a fixed
 * number of conjugate-gradient steps written as graph ops: ND4J M2.1's {@code MatrixInverse} gradient is wrong and
 * {@code LinearSolve} has none, while an unrolled CG differentiates like any other op.
 */
@Extension
public final class GeneralisedMaxPooling implements Pooling {

    /** Keeps the map finite for an all-zero alpha. */
    private static final double TINY = 1e-30;
    /**
     * CG's denominators are floored at this fraction of {@code |b|^2}: once the residual has converged to float
     * noise (or to 0), {@code 1/x} would have a gradient of {@code -1/x^2} that overflows to infinity and turns
     * every gradient upstream into NaN.
     */
    private static final double FLOOR = 1e-10;

    @Override
    public String id() {
        return "gmp";
    }

    @Override
    public String description() {
        return "Generalised max pooling: alpha solving (X X^T + lambda I) alpha = 1, u = X^T alpha; map = |alpha|.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.doubleParam("lambda", 1e3, "ridge regulariser of the linear system").min(1e-6),
                ParamSpec.intParam("iterations", 30, "conjugate-gradient steps (the system is N x N)").min(1)
                        .max(500));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        double lambda = params.getDouble("lambda");
        int iterations = params.getInt("iterations");
        return (scope, features) -> pool(scope, features, lambda, iterations);
    }

    /** tokens {@code [B, N, d]} -> {@code [B, d]}; the map is {@code |alpha|} normalised to sum 1 over N. */
    private static PoolingResult pool(GraphScope scope, Features features, double lambda, int iterations) {
        SameDiff sd = scope.sd();
        SDVariable tokens = features.tokens();
        SDVariable ones = sd.onesLike(tokens.sum(true, 2)); // [B, N, 1]
        SDVariable alpha = conjugateGradient(sd, tokens, ones, features.grid().tokens(), lambda, iterations);
        SDVariable pooled = sd.mmul(alpha, tokens, true, false, false).reshape(-1, features.dim()); // [B, d]
        SDVariable magnitude = sd.math.abs(alpha.reshape(-1, features.grid().tokens())); // [B, N]
        SDVariable map = magnitude.mul(magnitude.sum(true, 1).add(TINY).rdiv(1.0));
        return new PoolingResult(pooled, Optional.of(map));
    }

    /**
     * Solves {@code (X X^T + lambda I) a = b} for every image by unrolled conjugate gradients from {@code a = 0};
     * the matrix is applied as {@code X (X^T p) + lambda p}, never formed.
     *
     * @param x {@code [B, N, d]}
     * @param b {@code [B, N, 1]}
     * @param bSquared {@code |b|^2} (sets the floor of the denominators)
     * @return {@code [B, N, 1]}
     */
    static SDVariable conjugateGradient(SameDiff sd, SDVariable x, SDVariable b, double bSquared, double lambda,
                                        int iterations) {
        SDVariable solution = sd.zerosLike(b);
        SDVariable residual = b;
        SDVariable direction = b;
        SDVariable residualSquared = dot(residual, residual); // [B, 1, 1]
        double floor = FLOOR * bSquared;
        for (int i = 0; i < iterations; i++) {
            SDVariable applied = sd.mmul(x, sd.mmul(x, direction, true, false, false)).add(direction.mul(lambda));
            // Products with reciprocals, not divisions: M2.1's broadcast div gets the divisor's gradient wrong.
            SDVariable step = residualSquared.mul(atLeast(sd, dot(direction, applied), floor).rdiv(1.0));
            solution = solution.add(direction.mul(step));
            residual = residual.sub(applied.mul(step));
            SDVariable nextSquared = dot(residual, residual);
            direction = residual.add(direction.mul(nextSquared.mul(atLeast(sd, residualSquared, floor).rdiv(1.0))));
            residualSquared = nextSquared;
        }
        return solution;
    }

    /** {@code max(x, floor)}, written with relu so that its gradient below the floor is 0. */
    private static SDVariable atLeast(SameDiff sd, SDVariable x, double floor) {
        return sd.nn.relu(x.sub(floor), 0).add(floor);
    }

    /** Per-image dot product of {@code [B, N, 1]} columns: {@code [B, 1, 1]}. */
    private static SDVariable dot(SDVariable a, SDVariable b) {
        return a.mul(b).sum(true, 1);
    }

    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.INVARIANT;
    }
}
