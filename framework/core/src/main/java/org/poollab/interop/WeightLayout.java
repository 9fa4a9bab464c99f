package org.poollab.interop;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a weight's array is laid out in PoolLab versus in PyTorch, and the exact conversion each way (a permutation
 * or reshape of the same values; nothing is rounded).
 */
enum WeightLayout {

    /** The same shape (a scalar may be {@code [1]} on one side and {@code []} or {@code [1, 1]} on the other). */
    SAME,
    /** A linear layer: PoolLab {@code [in, out]}, PyTorch {@code [out, in]}. */
    LINEAR,
    /** A convolution: PoolLab {@code [k, k, in, out]} (SameDiff), PyTorch {@code [out, in, k, k]}. */
    CONV,
    /**
     * The ViT's patch projection: PoolLab a linear layer {@code [C p p, d]} on flattened patches (channel, then row,
     * then column), PyTorch a stride-p convolution {@code [d, C, p, p]}.
     */
    PATCH;

    /** The layout of the PoolLab weight {@code name} of the given rank. */
    static WeightLayout of(String name, int rank) {
        if (name.equals(WeightNames.PATCH_WEIGHT)) {
            return PATCH;
        }
        if (name.endsWith("/W")) {
            return rank == 4 ? CONV : LINEAR;
        }
        return SAME;
    }

    /**
     * PyTorch's array as PoolLab's.
     *
     * @param target PoolLab's shape
     * @return a C-order copy of {@code target}'s shape, or null when {@code external} cannot have that shape
     */
    INDArray toPoolLab(INDArray external, long[] target) {
        INDArray converted = switch (this) {
            case SAME -> external.length() == product(target) && squeezed(external.shape(), target) ? external : null;
            case LINEAR -> external.rank() == 2 ? external.transpose() : null;
            case CONV -> external.rank() == 4 ? external.permute(2, 3, 1, 0) : null;
            case PATCH -> external.rank() == 4 ? external.reshape('c', external.size(0), external.length()
                    / external.size(0)).transpose() : null;
        };
        if (converted == null || converted.length() != product(target)) {
            return null;
        }
        INDArray copy = converted.dup('c');
        if (this == SAME) {
            return copy.reshape('c', target);
        }
        return Arrays.equals(copy.shape(), target) ? copy : null;
    }

    /**
     * PoolLab's array as PyTorch's.
     *
     * @param channels the image channels C (for {@link #PATCH})
     * @return a C-order copy
     */
    INDArray toExternal(INDArray poollab, int channels) {
        return switch (this) {
            case SAME -> poollab.dup('c');
            case LINEAR -> poollab.transpose().dup('c');
            case CONV -> poollab.permute(3, 2, 0, 1).dup('c');
            case PATCH -> {
                long dim = poollab.size(1);
                long patch = Math.round(Math.sqrt(poollab.size(0) / (double) channels));
                yield poollab.transpose().dup('c').reshape('c', dim, channels, patch, patch);
            }
        };
    }

    /** What this conversion does, for the import listing. */
    String describe() {
        return switch (this) {
            case SAME -> "";
            case LINEAR -> " (transposed)";
            case CONV -> " (convolution to [k, k, in, out])";
            case PATCH -> " (convolution to a linear map of flattened patches)";
        };
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long side : shape) {
            n *= side;
        }
        return n;
    }

    /** Whether two shapes are equal once their dimensions of size 1 are dropped. */
    private static boolean squeezed(long[] a, long[] b) {
        return Arrays.equals(Arrays.stream(a).filter(s -> s != 1).toArray(), Arrays.stream(b).filter(s -> s != 1)
                .toArray());
    }
}
