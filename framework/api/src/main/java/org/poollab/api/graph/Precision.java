package org.poollab.api.graph;

import java.util.Arrays;
import java.util.List;

/**
 * The number format of a graph's matrix products ({@link Layers#product}). Everything else (weights, their
 * updates, norms, softmax, reductions) stays in the graph's floating type.
 */
public enum Precision {

    /** Every product in the graph's floating type. */
    FP32("fp32"),

    /**
     * The products of rows and weight matrices (the per-token linear maps and the heads' layers) with both operands
     * rounded to bfloat16 and their result returned in bfloat16 (oneDNN accumulates in fp32), as PyTorch's CPU
     * autocast does for linear layers; on CPUs with AMX these run on the matrix units. The framework falls back to
     * {@link #FP32} where the CPU lacks them. Attention's batched products stay in the graph's type
     * ({@link Layers#product}).
     */
    BF16_MATMUL("bf16-matmul");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    /** As experiment files write it ({@code trainer.precision}). */
    public String id() {
        return id;
    }

    /** Every id. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Precision::id).toList();
    }

    /**
     * @param id one of {@link #ids()}
     * @throws IllegalArgumentException for any other
     */
    public static Precision of(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown precision '" + id + "'; one of " + ids()));
    }
}
