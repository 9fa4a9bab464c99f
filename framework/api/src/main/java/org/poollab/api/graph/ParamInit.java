package org.poollab.api.graph;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded initial values for parameters, drawn in Java so that the same seed gives the same model on any backend.
 */
public final class ParamInit {

    private final SplittableRandom random;
    private final DataType dataType;

    /**
     * @param seed the model seed
     * @param dataType the graph's floating type
     */
    public ParamInit(long seed, DataType dataType) {
        this.random = new SplittableRandom(seed);
        this.dataType = dataType;
    }

    /** Normal(0, std) truncated to ±2 std, as timm's ViT initialisation. */
    public INDArray truncatedNormal(double std, long... shape) {
        return fill(shape, () -> {
            double z;
            do {
                z = gaussian();
            } while (Math.abs(z) > 2.0);
            return z * std;
        });
    }

    /** Normal(0, std), e.g. He initialisation of convolutions with {@code std = sqrt(2 / fan)}. */
    public INDArray normal(double std, long... shape) {
        return fill(shape, () -> gaussian() * std);
    }

    /** Uniform on [-bound, bound]. */
    public INDArray uniform(double bound, long... shape) {
        return fill(shape, () -> (2 * random.nextDouble() - 1) * bound);
    }

    /** All zeros. */
    public INDArray zeros(long... shape) {
        return Nd4j.zeros(dataType, shape);
    }

    /** All ones. */
    public INDArray ones(long... shape) {
        return Nd4j.ones(dataType, shape);
    }

    /** A constant. */
    public INDArray constant(double value, long... shape) {
        return Nd4j.valueArrayOf(shape, value, dataType);
    }

    private INDArray fill(long[] shape, java.util.function.DoubleSupplier sampler) {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        double[] values = new double[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = sampler.getAsDouble();
        }
        return Nd4j.create(values, shape, DataType.DOUBLE).castTo(dataType);
    }

    private double gaussian() {
        // Box-Muller on the seeded generator: java.util.Random#nextGaussian is not available on SplittableRandom.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
