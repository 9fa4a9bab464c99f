package org.poollab.interop;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.DataException;

/**
 * The {@code .safetensors} format (Hugging Face): an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the tensors' little-endian bytes in C order. Read and written here
 * without Python; the header's {@code __metadata__} map carries strings (PoolLab writes its name layout there).
 */
public final class SafeTensors {

    /** The header key of the free-form string map. */
    static final String METADATA = "__metadata__";
    /** A header larger than this is not a safetensors file (the reference reader's limit). */
    private static final long MAX_HEADER = 100_000_000;

    private SafeTensors() {
    }

    /**
     * A file's tensors, in the header's order, read on demand from the mapped file.
     *
     * @throws DataException naming the file if it is not a valid safetensors file
     */
    public static Contents read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new DataException(file + " is " + size + " bytes; PoolLab reads safetensors files up to 2 GB");
            }
            ByteBuffer whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = size >= 8 ? whole.getLong(0) : -1;
            if (headerLength <= 1 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw notSafetensors(file, "its first 8 bytes are not a header length that fits the file");
            }
            byte[] headerBytes = new byte[(int) headerLength];
            whole.get(8, headerBytes);
            JsonObject header = parse(file, new String(headerBytes, StandardCharsets.UTF_8));
            ByteBuffer data = whole.slice(8 + (int) headerLength, (int) (size - 8 - headerLength))
                    .order(ByteOrder.LITTLE_ENDIAN);
            Map<String, ExternalTensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
                if (entry.getKey().equals(METADATA)) {
                    entry.getValue().getAsJsonObject().entrySet()
                            .forEach(item -> metadata.put(item.getKey(), item.getValue().getAsString()));
                } else {
                    tensors.put(entry.getKey(), tensor(file, entry.getKey(), entry.getValue().getAsJsonObject(),
                            data));
                }
            }
            return new Contents(tensors, metadata);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + " (" + e.getMessage() + ")");
        } catch (IllegalStateException | UnsupportedOperationException | NullPointerException e) {
            throw notSafetensors(file, "its header does not have the safetensors shape (" + e.getMessage() + ")");
        }
    }

    private static JsonObject parse(Path file, String text) {
        try {
            return new Gson().fromJson(text, JsonObject.class);
        } catch (JsonParseException e) {
            throw notSafetensors(file, "its header is not JSON (" + e.getMessage() + ")");
        }
    }

    private static ExternalTensor tensor(Path file, String name, JsonObject description, ByteBuffer data) {
        String dtype = description.get("dtype").getAsString();
        ElementType type = ElementType.ofSafetensors(dtype);
        if (type == null) {
            throw new DataException(file + ": tensor " + name + " has dtype " + dtype + ", which PoolLab does not "
                    + "read (it reads F32, F16, BF16, F64, I64, I32)");
        }
        JsonArray dims = description.getAsJsonArray("shape");
        long[] shape = new long[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
            count *= shape[i];
        }
        JsonArray offsets = description.getAsJsonArray("data_offsets");
        long begin = offsets.get(0).getAsLong();
        long end = offsets.get(1).getAsLong();
        if (begin < 0 || end > data.capacity() || end - begin != count * type.bytes()) {
            throw notSafetensors(file, "tensor " + name + "'s bytes " + begin + ".." + end + " do not hold "
                    + count + " " + type.torchName() + " values inside the file");
        }
        ByteBuffer bytes = data.slice((int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        long elements = count;
        return new ExternalTensor() {
            @Override
            public long[] shape() {
                return shape.clone();
            }

            @Override
            public String dtype() {
                return type.torchName();
            }

            @Override
            public INDArray load() {
                return type.read(bytes, LongStream.range(0, elements).toArray(), shape);
            }
        };
    }

    private static DataException notSafetensors(Path file, String why) {
        return new DataException(file + " is not a valid .safetensors file: " + why);
    }

    /**
     * Writes tensors (FLOAT as F32, DOUBLE as F64) and string metadata, atomically.
     *
     * @param tensors names to arrays of any shape, written in this order
     * @throws IOException if the folder is not writable
     */
    public static void write(Path file, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        header.add(METADATA, meta);
        long offset = 0;
        for (Map.Entry<String, INDArray> entry : tensors.entrySet()) {
            INDArray array = entry.getValue();
            ElementType type = ElementType.of(array.dataType());
            JsonObject description = new JsonObject();
            description.addProperty("dtype", type.safetensorsName());
            JsonArray shape = new JsonArray();
            for (long side : array.shape()) {
                shape.add(side);
            }
            description.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += array.length() * type.bytes();
            offsets.add(offset);
            description.add("data_offsets", offsets);
            header.add(entry.getKey(), description);
        }
        StringBuilder text = new StringBuilder(new Gson().toJson(header));
        while ((text.length() + 8) % 8 != 0) { // the data section starts 8-byte aligned, as the reference pads it
            text.append(' ');
        }
        byte[] headerBytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            for (INDArray array : tensors.values()) {
                out.write(littleEndian(array));
            }
        });
    }

    /** An array's values in C order as little-endian bytes of its type. */
    static byte[] littleEndian(INDArray array) {
        INDArray ordered = array.dup('c');
        ElementType type = ElementType.of(array.dataType());
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(array.length() * type.bytes()))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (array.dataType() == DataType.DOUBLE) {
            buffer.asDoubleBuffer().put(ordered.data().asDouble());
        } else if (array.dataType() == DataType.FLOAT) {
            buffer.asFloatBuffer().put(ordered.data().asFloat());
        } else if (array.dataType() == DataType.INT64) {
            buffer.asLongBuffer().put(ordered.data().asLong());
        } else {
            buffer.asIntBuffer().put(ordered.data().asInt());
        }
        return buffer.array();
    }

    /**
     * A file's contents.
     *
     * @param tensors by name, in the header's order
     * @param metadata the header's {@code __metadata__} strings
     */
    public record Contents(Map<String, ExternalTensor> tensors, Map<String, String> metadata) {
    }
}
