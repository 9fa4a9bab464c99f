package org.poollab.interop;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A tensor in a file written by another framework (a PyTorch checkpoint, a {@code .safetensors} file), read only
 * when {@link #load} is called: a DINO checkpoint holds the student, the teacher and the optimiser state, and only
 * one model's tensors are wanted.
 */
public interface ExternalTensor {

    /** Its shape in the file's (PyTorch's) order; empty for a scalar. */
    long[] shape();

    /** Its element type as the file names it, e.g. {@code float32}, {@code bfloat16}, {@code int64}. */
    String dtype();

    /**
     * The values in C order: FLOAT for 32- and 16-bit floating types (bfloat16 and float16 widen exactly), DOUBLE
     * for float64, LONG / INT for integer types.
     *
     * @return an array of {@link #shape}
     */
    INDArray load();
}
