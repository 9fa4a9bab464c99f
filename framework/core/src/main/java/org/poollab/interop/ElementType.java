package org.poollab.interop;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element types PyTorch and safetensors files hold, and how their little-endian bytes become ND4J arrays:
 * float16 and bfloat16 widen to float32 exactly, float64 stays double, integers stay integers.
 */
enum ElementType {

    FLOAT32("float32", "F32", "FloatStorage", 4),
    FLOAT16("float16", "F16", "HalfStorage", 2),
    BFLOAT16("bfloat16", "BF16", "BFloat16Storage", 2),
    FLOAT64("float64", "F64", "DoubleStorage", 8),
    INT64("int64", "I64", "LongStorage", 8),
    INT32("int32", "I32", "IntStorage", 4);

    private final String torchName;
    private final String safetensorsName;
    private final String storageClass;
    private final int bytes;

    ElementType(String torchName, String safetensorsName, String storageClass, int bytes) {
        this.torchName = torchName;
        this.safetensorsName = safetensorsName;
        this.storageClass = storageClass;
        this.bytes = bytes;
    }

    /** PyTorch's name, e.g. {@code bfloat16}. */
    String torchName() {
        return torchName;
    }

    /** The safetensors header's name, e.g. {@code BF16}. */
    String safetensorsName() {
        return safetensorsName;
    }

    /** The class {@code torch.save} names the storage by, e.g. {@code FloatStorage}. */
    String storageClass() {
        return storageClass;
    }

    /** Bytes per element. */
    int bytes() {
        return bytes;
    }

    /** The type with this safetensors name; null when there is none. */
    static ElementType ofSafetensors(String name) {
        return Arrays.stream(values()).filter(type -> type.safetensorsName.equals(name)).findFirst().orElse(null);
    }

    /** The type of an ND4J array, as written on export (FLOAT and DOUBLE only: what PoolLab's weights are). */
    static ElementType of(DataType type) {
        return switch (type) {
            case FLOAT -> FLOAT32;
            case DOUBLE -> FLOAT64;
            case LONG -> INT64;
            case INT -> INT32;
            default -> throw new IllegalArgumentException("no export type for ND4J " + type);
        };
    }

    /** The names every type is known by, for messages. */
    static List<String> names() {
        return Arrays.stream(values()).map(ElementType::torchName).toList();
    }

    /**
     * Reads elements at the given element indices of a little-endian buffer, in order.
     *
     * @param data the storage, positioned anywhere (absolute reads)
     * @param indices element index (not byte offset) of each value, in C order of {@code shape}
     * @param shape the result's shape
     */
    INDArray read(ByteBuffer data, long[] indices, long[] shape) {
        int n = indices.length;
        switch (this) {
            case FLOAT64 -> {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = data.getDouble(Math.toIntExact(indices[i] * 8));
                }
                return Nd4j.create(values, shape, DataType.DOUBLE);
            }
            case INT64 -> {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = data.getLong(Math.toIntExact(indices[i] * 8));
                }
                return Nd4j.createFromArray(values).reshape(shape);
            }
            case INT32 -> {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = data.getInt(Math.toIntExact(indices[i] * 4));
                }
                return Nd4j.createFromArray(values).reshape(shape);
            }
            default -> {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = floatAt(data, indices[i]);
                }
                return Nd4j.create(values, shape, DataType.FLOAT);
            }
        }
    }

    private float floatAt(ByteBuffer data, long index) {
        return switch (this) {
            case FLOAT32 -> data.getFloat(Math.toIntExact(index * 4));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(Math.toIntExact(index * 2)) & 0xffff) << 16);
            case FLOAT16 -> halfToFloat(data.getShort(Math.toIntExact(index * 2)));
            default -> throw new IllegalStateException(this + " is not a float type");
        };
    }

    /** IEEE 754 binary16 to binary32, exactly (subnormals, infinities and NaN included). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) { // zero or subnormal: mantissa x 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
