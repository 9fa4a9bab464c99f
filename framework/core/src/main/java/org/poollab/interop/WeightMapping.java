package org.poollab.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.poollab.api.backbone.Grid;
import org.poollab.api.graph.BicubicResize;
import org.poollab.data.DataException;

/**
 * Maps a reference state dict onto a PoolLab model's weights ({@link WeightNames}, {@link WeightLayout}), and back.
 * Two weights need more than a rename: the positional embedding, which DINO's ViT stores as {@code [1, 1 + N, d]}
 * with a slot for the [CLS] token and the SimPool authors' ViT as {@code [1, N, d]}, resized bicubically when the
 * grid differs; and the [CLS] token, to which DINO adds its positional slot, a constant that PoolLab folds into the
 * token itself ({@code cls_token + pos_embed[:, 0]}), so that the two compute the same.
 */
final class WeightMapping {

    /** Buffers the reference code keeps that PoolLab does not need (batch norm's update counter). */
    private static final String IGNORED_SUFFIX = "num_batches_tracked";

    private final String poolingId;

    /** @param poolingId names the pooling's module ({@link WeightNames#external}) */
    WeightMapping(String poolingId) {
        this.poolingId = poolingId;
    }

    /**
     * Every PoolLab weight from the reference state dict.
     *
     * @param external the state dict, prefixes ({@code module.}, {@code backbone.}) already stripped
     * @param targets PoolLab's weights by name (their shapes are what must come out)
     * @param grid the model's token grid (the positional embedding's)
     * @throws DataException naming every missing weight, or the first shape that does not fit (both shapes)
     */
    Imported toPoolLab(Map<String, ExternalTensor> external, Map<String, INDArray> targets, Grid grid) {
        Set<String> unused = new LinkedHashSet<>(external.keySet());
        Map<String, INDArray> weights = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        boolean hasPrefix = targets.keySet().stream().anyMatch(WeightNames::isPrefixToken);
        for (Map.Entry<String, INDArray> target : targets.entrySet()) {
            String name = target.getKey();
            long[] shape = target.getValue().shape();
            String source = WeightNames.external(name, poolingId);
            ExternalTensor tensor = external.get(source);
            if (tensor == null) {
                missing.add(source + " (for " + name + ")");
                continue;
            }
            unused.remove(source);
            INDArray value;
            String how;
            if (name.equals(WeightNames.POSITIONS)) {
                Positions positions = positions(tensor, shape, hasPrefix, grid);
                value = positions.patches();
                how = positions.note();
            } else if (WeightNames.isPrefixToken(name)) {
                value = prefixToken(name, source, tensor, external, shape);
                unused.remove(WeightNames.external(WeightNames.POSITIONS, poolingId));
                how = " (plus pos_embed[:, 0], which DINO adds to it)";
            } else {
                WeightLayout layout = WeightLayout.of(name, shape.length);
                value = layout.toPoolLab(tensor.load(), shape);
                if (value == null) {
                    throw mismatch(source, tensor.shape(), name, shape);
                }
                how = layout.describe();
            }
            weights.put(name, value);
            lines.add(String.format(Locale.ROOT, "%s %s -> %s %s%s", source, Arrays.toString(tensor.shape()), name,
                    Arrays.toString(value.shape()), how));
        }
        List<String> ignored = unused.stream().filter(n -> n.endsWith(IGNORED_SUFFIX)).toList();
        unused.removeAll(ignored);
        if (!missing.isEmpty()) {
            throw new DataException("the file lacks " + missing.size() + " weight(s) the model needs: "
                    + String.join(", ", missing.subList(0, Math.min(8, missing.size())))
                    + (missing.size() > 8 ? ", ..." : "") + (unused.isEmpty() ? "" : "; it has names PoolLab did not "
                    + "use, e.g. " + String.join(", ", unused.stream().limit(8).toList())) + ". Check --backbone, "
                    + "--preset, --pooling and --key (and the pooling's params, e.g. --set pooling.params.beta=false)");
        }
        return new Imported(weights, lines, List.copyOf(unused), ignored.size());
    }

    /**
     * A PoolLab model's weights in the reference layout.
     *
     * @param weights PoolLab's weights by name
     * @param channels the image channels (to unflatten the patch projection)
     * @return reference names to C-order arrays, in PoolLab's order
     */
    Map<String, INDArray> toExternal(Map<String, INDArray> weights, int channels) {
        boolean hasPrefix = weights.keySet().stream().anyMatch(WeightNames::isPrefixToken);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> weight : weights.entrySet()) {
            String name = weight.getKey();
            INDArray value = weight.getValue();
            if (name.equals(WeightNames.POSITIONS)) {
                INDArray rows = hasPrefix ? Nd4j.concat(0, Nd4j.zeros(value.dataType(), 1, value.size(1)), value)
                        : value.dup('c');
                out.put(WeightNames.external(name, poolingId), rows.reshape('c', 1, rows.size(0), rows.size(1)));
            } else {
                String external = WeightNames.external(name, poolingId);
                out.put(external, WeightLayout.of(name, value.rank()).toExternal(value, channels));
                if (name.endsWith("/running_mean")) { // so that PyTorch's strict load_state_dict finds every buffer
                    out.put(external.replace("running_mean", IGNORED_SUFFIX), Nd4j.scalar(0L));
                }
            }
        }
        return out;
    }

    /**
     * The patch rows of a reference positional embedding on PoolLab's grid.
     *
     * @param target {@code [N, d]}
     */
    private static Positions positions(ExternalTensor tensor, long[] target, boolean hasPrefix, Grid grid) {
        INDArray loaded = tensor.load();
        long dim = target[1];
        if (loaded.length() % dim != 0) {
            throw mismatch("pos_embed", tensor.shape(), WeightNames.POSITIONS, target);
        }
        INDArray rows = loaded.reshape('c', loaded.length() / dim, dim);
        int count = (int) rows.size(0);
        int side = square(count);
        String note = "";
        if (hasPrefix || side < 0) {
            side = square(count - 1);
            if (side < 0) {
                throw new DataException("pos_embed has " + count + " positions: neither a square grid nor one [CLS] "
                        + "slot plus a square grid, so PoolLab cannot place it on its " + grid.height() + "x"
                        + grid.width() + " grid");
            }
            rows = rows.get(NDArrayIndex.interval(1, count), NDArrayIndex.all());
            note = hasPrefix ? " (the [CLS] slot goes to the token)" : " (its [CLS] slot dropped: the pooling uses "
                    + "no [CLS] token)";
        }
        if (side != grid.height() || side != grid.width()) {
            INDArray resize = Nd4j.create(BicubicResize.matrix(side, side, grid.height(), grid.width()))
                    .castTo(rows.dataType());
            rows = resize.mmul(rows);
            note += " (resized bicubically from " + side + "x" + side + " to " + grid.height() + "x" + grid.width()
                    + ")";
        }
        return new Positions(rows.dup('c'), note);
    }

    /** {@code cls_token + pos_embed[:, 0]} when the positional embedding has a [CLS] slot. */
    private static INDArray prefixToken(String name, String source, ExternalTensor token,
                                        Map<String, ExternalTensor> external, long[] target) {
        INDArray value = WeightLayout.SAME.toPoolLab(token.load(), target);
        if (value == null) {
            throw mismatch(source, token.shape(), name, target);
        }
        ExternalTensor positions = external.get("pos_embed");
        if (positions != null) {
            INDArray rows = positions.load();
            long dim = target[target.length - 1];
            INDArray slot = rows.reshape('c', rows.length() / dim, dim).getRow(0).dup('c');
            value.addi(slot.reshape('c', target).castTo(value.dataType()));
        }
        return value;
    }

    private static int square(int count) {
        int side = (int) Math.round(Math.sqrt(count));
        return side * side == count && count > 0 ? side : -1;
    }

    private static DataException mismatch(String source, long[] shape, String name, long[] target) {
        return new DataException("shape mismatch: " + source + " is " + Arrays.toString(shape) + " in the file, but "
                + "PoolLab's " + name + " is " + Arrays.toString(target) + "; the file was trained with another "
                + "size: check --preset and the backbone's params (--set backbone.params.dim=...)");
    }

    /** The patch rows of the positional embedding and how they were derived. */
    private record Positions(INDArray patches, String note) {
    }

    /**
     * The result of an import.
     *
     * @param weights PoolLab's weights by name
     * @param lines one line per weight: source name and shape, PoolLab name and shape, conversion
     * @param unexpected reference names PoolLab did not use (DINO's projection head, timm's classifier)
     * @param ignored buffers skipped on purpose ({@value #IGNORED_SUFFIX})
     */
    record Imported(Map<String, INDArray> weights, List<String> lines, List<String> unexpected, int ignored) {
    }
}
