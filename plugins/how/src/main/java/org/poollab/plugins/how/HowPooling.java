package org.poollab.plugins.how;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.Extension;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.ParamSpec;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.api.pooling.PoolingResult;
import org.poollab.api.pooling.TokenOrder;

/**
 * HOW (Tolias, Jenicek and Chum; docs/method.md §4): each token is weighted by its L2 norm; the tokens are smoothed by
 * a 3x3 average on their grid (borders average fewer neighbours), reduced to {@code d / reduction} channels by a
 * learned linear map, L2-normalised one by one, summed with the weights, and the sum is L2-normalised. The reduction is
 * initialised randomly here (the paper fits it by PCA whitening on training descriptors).
 */
@Extension
public final class HowPooling implements Pooling {

    private static final double EPS = 1e-12;

    private final Layers layers;

    /** @param layers shared graph building blocks (the token-wise linear map) */
    @Inject
    public HowPooling(Layers layers) {
        this.layers = layers;
    }

    @Override
    public String id() {
        return "how";
    }

    @Override
    public String description() {
        return "HOW: L2-norm token weights, 3x3 smoothing on the grid, learned reduction to d/reduction, weighted "
                + "sum, L2-normalised; map = the weights.";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(ParamSpec.intParam("reduction", 4, "output width = d / reduction (must divide d)").min(1));
    }

    @Override
    public PoolingModule create(Params params, int dim) {
        int reduction = params.getInt("reduction");
        if (dim % reduction != 0) {
            throw new ParamException("reduction", reduction + " does not divide the feature width " + dim
                    + "; choose a divisor of " + dim);
        }
        int out = dim / reduction;
        return new PoolingModule() {
            @Override
            public int outputDim(int featureDim) {
                return out;
            }

            @Override
            public PoolingResult pool(GraphScope scope, Features features) {
                return HowPooling.this.pool(scope, features, out);
            }
        };
    }

    /** tokens {@code [B, N, d]} on their grid -> {@code [B, d / reduction]}, unit length. */
    private PoolingResult pool(GraphScope scope, Features features, int out) {
        SameDiff sd = scope.sd();
        Grid grid = features.grid();
        int n = grid.tokens();
        int d = features.dim();
        SDVariable tokens = features.tokens();
        SDVariable weights = sd.math.sqrt(tokens.mul(tokens).sum(2).add(EPS)); // [B, N]
        SDVariable smoothing = sd.constant(Nd4j.create(smoothingMatrix(grid)).castTo(scope.dataType()));
        SDVariable byToken = sd.permute(tokens, 1, 0, 2).reshape(n, -1); // [N, B*d]
        SDVariable smoothed = sd.permute(smoothing.mmul(byToken).reshape(n, -1, d), 1, 0, 2); // [B, N, d]
        SDVariable reduced = layers.linearTokens(scope, "reduction", smoothed, n, d, out, false); // [B, N, o]
        SDVariable descriptors = unit(sd, reduced, 2);
        SDVariable pooled = unit(sd, sd.mmul(sd.expandDims(weights, 1), descriptors).reshape(-1, out), 1);
        SDVariable map = weights.mul(weights.sum(true, 1).rdiv(1.0));
        return new PoolingResult(pooled, Optional.of(map));
    }

    /** {@code x / |x|} along {@code axis}. */
    private static SDVariable unit(SameDiff sd, SDVariable x, int axis) {
        return x.mul(sd.math.rsqrt(x.mul(x).sum(true, axis).add(EPS)));
    }

    /**
     * The 3x3 average on a row-major grid as a matrix: row i averages token i's neighbours (itself included) that
     * lie inside the grid.
     *
     * @return {@code [N][N]}
     */
    static double[][] smoothingMatrix(Grid grid) {
        int n = grid.tokens();
        double[][] matrix = new double[n][n];
        for (int y = 0; y < grid.height(); y++) {
            for (int x = 0; x < grid.width(); x++) {
                List<Integer> neighbours = new ArrayList<>();
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int ny = y + dy;
                        int nx = x + dx;
                        if (ny >= 0 && ny < grid.height() && nx >= 0 && nx < grid.width()) {
                            neighbours.add(ny * grid.width() + nx);
                        }
                    }
                }
                for (int j : neighbours) {
                    matrix[y * grid.width() + x][j] = 1.0 / neighbours.size();
                }
            }
        }
        return matrix;
    }

    /** The smoothing averages each token with its grid neighbours, so the grid's order matters. */
    @Override
    public TokenOrder tokenOrder() {
        return TokenOrder.DEPENDENT;
    }
}
