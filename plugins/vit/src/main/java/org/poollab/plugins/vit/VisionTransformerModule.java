package org.poollab.plugins.vit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.Features;
import org.poollab.api.backbone.Grid;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.backbone.PrefixOutput;
import org.poollab.api.graph.BicubicResize;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;

/** A configured ViT that adds itself to a graph. */
final class VisionTransformerModule implements BackboneModule {

    private final Layers layers;
    private final VitSettings settings;

    VisionTransformerModule(Layers layers, VitSettings settings) {
        this.layers = layers;
        this.settings = settings;
    }

    @Override
    public int featureDim() {
        return settings.dim();
    }

    @Override
    public boolean supportsPrefixTokens() {
        return true;
    }

    /** images {@code [B, C, H, W]} -> patch tokens {@code [B, N, d]} (N = HW / p^2) plus prefix outputs. */
    @Override
    public Features forward(GraphScope scope, SDVariable images, ImageShape input, List<String> prefixTokens) {
        int dim = settings.dim();
        Grid grid = settings.grid(input);
        int patches = grid.tokens();
        int prefixCount = prefixTokens.size();
        int tokens = prefixCount + patches;

        SDVariable x = embedPatches(scope, images, input, grid).add(positionalEmbedding(scope, grid));
        x = prependPrefixTokens(scope, x, prefixTokens);
        SDVariable attention = null;
        for (int i = 0; i < settings.depth(); i++) {
            TransformerBlock.Output block = new TransformerBlock(layers, settings)
                    .apply(scope.child("blocks." + i), x, tokens, i);
            x = block.tokens();
            attention = block.attention();
        }
        long[] tokenShape = {-1, tokens, dim};
        SDVariable patchTokens = prefixCount == 0 ? x : select(scope, x, range(prefixCount, tokens), 1, tokenShape);
        Map<String, PrefixOutput> prefix = new HashMap<>();
        for (int i = 0; i < prefixCount; i++) {
            SDVariable state = select(scope, x, new int[] {i}, 1, tokenShape).reshape(-1, dim); // [B, 1, d] -> [B, d]
            SDVariable perHead = prefixAttention(scope, attention, i, prefixCount, tokens); // [B, H, N]
            SDVariable averaged = perHead.mean(1); // [B, N]
            prefix.put(prefixTokens.get(i), new PrefixOutput(state, Optional.of(renormalised(averaged, 1)),
                    Optional.of(renormalised(perHead, 2))));
        }
        return new Features(patchTokens, dim, grid, prefix,
                pooled -> layers.layerNorm(scope, "norm", pooled, 2, dim, settings.lnEps()));
    }

    /** Patchify and project: {@code [B, C, H, W] -> [B, N, d]}. */
    private SDVariable embedPatches(GraphScope scope, SDVariable images, ImageShape input, Grid grid) {
        SameDiff sd = scope.sd();
        int p = settings.patch();
        int c = input.channels();
        SDVariable blocks = images.reshape(-1, c, grid.height(), p, grid.width(), p); // [B, C, gh, p, gw, p]
        SDVariable patches = sd.permute(blocks, 0, 2, 4, 1, 3, 5) // [B, gh, gw, C, p, p]
                .reshape(-1, grid.tokens(), (long) c * p * p); // [B, N, C*p*p]
        return layers.linearTokens(scope, "patch_embed", patches, grid.tokens(), c * p * p, settings.dim(), true);
    }

    /**
     * The learned embedding of the base grid, bicubically resized when the grid differs (docs/method.md §5), or the
     * fixed sin-cos positions of this grid.
     *
     * @return {@code [N, d]}
     */
    private SDVariable positionalEmbedding(GraphScope scope, Grid grid) {
        if (settings.sinCos()) {
            String name = scope.qualify("pos_sincos_" + grid.height() + "x" + grid.width());
            return scope.sd().hasVariable(name) ? scope.sd().getVariable(name) : scope.sd().constant(name,
                    Nd4j.create(SinCosPositions.of(grid, settings.dim())).castTo(scope.dataType()));
        }
        Grid base = settings.grid(settings.input());
        SDVariable embedding = scope.parameter("pos_embed",
                scope.init().truncatedNormal(Layers.WEIGHT_STD, base.tokens(), settings.dim()));
        if (base.equals(grid)) {
            return embedding;
        }
        String name = scope.qualify("pos_resize_" + grid.height() + "x" + grid.width());
        SDVariable matrix = scope.sd().hasVariable(name) ? scope.sd().getVariable(name) : scope.sd().constant(name,
                Nd4j.create(BicubicResize.matrix(base.height(), base.width(), grid.height(), grid.width()))
                        .castTo(scope.dataType()));
        return matrix.mmul(embedding); // [N', N] x [N, d] -> [N', d]
    }

    /** {@code [B, N, d] -> [B, P + N, d]} with one learned token per requested name in front. */
    private SDVariable prependPrefixTokens(GraphScope scope, SDVariable x, List<String> names) {
        if (names.isEmpty()) {
            return x;
        }
        List<SDVariable> parts = new ArrayList<>();
        for (String name : names) {
            SDVariable token = scope.parameter("prefix." + name,
                    scope.init().truncatedNormal(Layers.WEIGHT_STD, 1, 1, settings.dim()));
            parts.add(layers.repeatPerImage(scope.sd(), token, x)); // [B, 1, d]
        }
        parts.add(x);
        return scope.sd().concat(1, parts.toArray(SDVariable[]::new));
    }

    /**
     * Prefix token {@code index}'s attention to the patches in the last block, per head (the mass on prefix
     * tokens left out, so rows sum to at most 1).
     *
     * @param attention {@code [B, H, T, T]}
     * @return {@code [B, H, N]}
     */
    private SDVariable prefixAttention(GraphScope scope, SDVariable attention, int index, int prefixCount,
                                       int tokens) {
        int heads = settings.heads();
        SDVariable row = select(scope, attention, new int[] {index}, 2, new long[] {-1, heads, tokens, tokens});
        SDVariable toPatches = select(scope, row, range(prefixCount, tokens), 3,
                new long[] {-1, heads, 1, tokens}); // [B, H, 1, T] -> [B, H, 1, N]
        return toPatches.reshape(-1, heads, tokens - prefixCount);
    }

    /** {@code x} divided by its sum along {@code axis}, so that it sums to 1 there. */
    private static SDVariable renormalised(SDVariable x, int axis) {
        return x.div(x.sum(true, axis));
    }

    /**
     * Entries {@code indices} along {@code axis} of {@code x}, as a product with a constant 0/1 selection matrix.
     * In M2.1 neither strided slices (strided_slice_bp fails validation) nor gather (its gradient builds a loop
     * with a fixed name, so only one per graph) can be differentiated reliably; a matrix product can.
     *
     * @param shape the shape of {@code x} with -1 for the batch axis
     */
    private static SDVariable select(GraphScope scope, SDVariable x, int[] indices, int axis, long[] shape) {
        int rank = shape.length;
        int[] order = new int[rank];
        order[0] = axis;
        for (int i = 1, next = 0; i < rank; i++, next++) {
            if (next == axis) {
                next++;
            }
            order[i] = next;
        }
        int[] inverse = new int[rank];
        long[] picked = new long[rank];
        for (int i = 0; i < rank; i++) {
            inverse[order[i]] = i;
            picked[i] = shape[order[i]];
        }
        picked[0] = indices.length;
        double[][] selection = new double[indices.length][(int) shape[axis]];
        for (int r = 0; r < indices.length; r++) {
            selection[r][indices[r]] = 1;
        }
        SameDiff sd = scope.sd();
        SDVariable front = sd.permute(x, order).reshape(shape[axis], -1); // [len(axis), rest]
        SDVariable chosen = sd.constant(Nd4j.create(selection).castTo(scope.dataType())).mmul(front);
        return sd.permute(chosen.reshape(picked), inverse);
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
