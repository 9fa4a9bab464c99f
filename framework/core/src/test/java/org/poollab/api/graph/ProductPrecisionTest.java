package org.poollab.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.model.MatrixUnits;

/**
 * {@link Layers#product} in bf16-matmul against the same product in double: within bfloat16's rounding (8 bits of
 * mantissa: a relative error of about 2^-9 per rounding) but not exact, in value and in both gradients; and fp32
 * unchanged. Holds with or without AMX: oneDNN rounds the same way on every bf16 kernel.
 */
class ProductPrecisionTest {

    private static final int M = 64;
    private static final int K = 96;
    private static final int N = 48;
    /** Operands and result rounded to bfloat16, fp32 accumulation: a few 2^-9 in the Frobenius norm at most. */
    private static final double BF16_TOLERANCE = 8e-3;
    /** What fp32 alone would give (about 1e-7): the bf16 path must be above it, or it did not round. */
    private static final double FP32_LEVEL = 1e-5;

    private final Layers layers = new Layers();

    @BeforeAll
    static void allowTheMatrixUnits() {
        MatrixUnits.enable(); // as the CLI does; harmless where oneDNN has already chosen its kernels
    }

    private record Graph(SameDiff sd, SDVariable product) {
    }

    /** loss = sum(product(a, w) * r), so that d/da = r wᵀ and d/dw = aᵀ r. */
    private Graph graph(Precision precision, INDArray a, INDArray w, INDArray r) {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.FLOAT, 0, precision);
        SDVariable rows = sd.var("a", a.castTo(DataType.FLOAT));
        SDVariable weight = sd.var("w", w.castTo(DataType.FLOAT));
        SDVariable product = layers.product(scope, rows, weight);
        sd.setLossVariables(product.mul(sd.constant(r.castTo(DataType.FLOAT))).sum());
        return new Graph(sd, product);
    }

    private static double relativeError(INDArray actual, INDArray expected) {
        return actual.castTo(DataType.DOUBLE).sub(expected).norm2Number().doubleValue()
                / expected.norm2Number().doubleValue();
    }

    @Test
    void bf16ProductsAndTheirGradientsAreWithinBfloat16RoundingOfTheExactOnes() {
        Nd4j.getRandom().setSeed(5);
        INDArray a = Nd4j.randn(DataType.DOUBLE, M, K);
        INDArray w = Nd4j.randn(DataType.DOUBLE, K, N);
        INDArray r = Nd4j.randn(DataType.DOUBLE, M, N);
        Graph bf16 = graph(Precision.BF16_MATMUL, a, w, r);
        INDArray value = bf16.product().eval();
        assertEquals(DataType.FLOAT, value.dataType(), "the graph's type comes back");
        Map<String, INDArray> gradients = bf16.sd().calculateGradients(Map.of(), "a", "w");
        Map<String, INDArray> exact = Map.of("value", a.mmul(w), "a", r.mmul(w.transpose()), "w",
                a.transpose().mmul(r));
        for (Map.Entry<String, INDArray> found : Map.of("value", value, "a", gradients.get("a"), "w",
                gradients.get("w")).entrySet()) {
            double error = relativeError(found.getValue(), exact.get(found.getKey()));
            assertTrue(error < BF16_TOLERANCE, found.getKey() + ": relative error " + error);
            assertTrue(error > FP32_LEVEL, found.getKey() + ": relative error " + error + " is fp32's: not rounded");
            assertEquals(DataType.FLOAT, found.getValue().dataType(), found.getKey());
        }
    }

    @Test
    void fp32ProductsAreThePlainMatrixProduct() {
        Nd4j.getRandom().setSeed(6);
        INDArray a = Nd4j.randn(DataType.FLOAT, M, K);
        INDArray w = Nd4j.randn(DataType.FLOAT, K, N);
        Graph fp32 = graph(Precision.FP32, a, w, Nd4j.randn(DataType.FLOAT, M, N));
        assertEquals(a.mmul(w), fp32.product().eval());
    }
}
