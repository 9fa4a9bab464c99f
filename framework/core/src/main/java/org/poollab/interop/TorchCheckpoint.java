package org.poollab.interop;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.DataException;

/**
 * A file written by {@code torch.save} (PyTorch 1.6 and later: a zip holding {@code <name>/data.pkl}, a pickle of
 * the saved object, and {@code <name>/data/<key>}, one raw little-endian storage per key), read without Python by
 * the net.razorvine pickle library. The pickle's persistent ids name storages; {@code _rebuild_tensor_v2} makes
 * a tensor as a view (offset, size, stride) of one, so several tensors may share a storage and a tensor need not
 * be contiguous. Tensors become {@link ExternalTensor}s read on demand; dicts become ordered maps; objects of
 * other classes (argparse namespaces, numpy scalars in saved arguments) become opaque values.
 */
public final class TorchCheckpoint implements Closeable {

    private static final String PICKLE = "data.pkl";

    static {
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new PickledDict());
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchCheckpoint::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter_with_state", args -> args[0]);
        for (ElementType type : ElementType.values()) {
            Unpickler.registerConstructor("torch", type.storageClass(), new StorageClass(type));
        }
        for (String[] opaque : new String[][] {{"numpy.core.multiarray", "scalar"}, {"numpy", "dtype"},
                {"numpy.core.multiarray", "_reconstruct"}, {"numpy._core.multiarray", "scalar"},
                {"numpy._core.multiarray", "_reconstruct"}, {"_codecs", "encode"}}) {
            Unpickler.registerConstructor(opaque[0], opaque[1], args -> new Opaque(opaque[0] + "." + opaque[1]));
        }
    }

    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final Map<String, ByteBuffer> storages = new HashMap<>();
    private final Object root;

    private TorchCheckpoint(Path file, ZipFile zip, String prefix) throws IOException {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
        try (InputStream in = zip.getInputStream(zip.getEntry(prefix + PICKLE))) {
            this.root = new StorageUnpickler().load(in);
        } catch (PickleException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new DataException(file + " is a zip with a " + PICKLE + ", but its pickle cannot be read ("
                    + e.getMessage() + "); is it a PyTorch checkpoint written by torch.save?");
        }
    }

    /**
     * Opens a checkpoint and reads its pickle (not yet its tensors' values).
     *
     * @throws DataException naming the file if it is not a PyTorch zip checkpoint
     */
    public static TorchCheckpoint open(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new DataException(file + " is not a PyTorch checkpoint: not a zip file (PyTorch writes zips since "
                    + "1.6; re-save an older file with torch.save(torch.load(f), f2)), and not .safetensors");
        } catch (IOException e) {
            throw new DataException("cannot read " + file + " (" + e.getMessage() + ")");
        }
        String pickle = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
                .filter(name -> name.endsWith("/" + PICKLE) && name.indexOf('/') == name.length() - PICKLE.length() - 1)
                .findFirst().orElse(null);
        try {
            if (pickle == null) {
                throw new DataException(file + " is a zip but not a PyTorch checkpoint: it has no <name>/" + PICKLE);
            }
            return new TorchCheckpoint(file, zip, pickle.substring(0, pickle.length() - PICKLE.length()));
        } catch (IOException | RuntimeException e) {
            try {
                zip.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e instanceof DataException data ? data
                    : new DataException("cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** The saved object: usually a map (a state dict, or DINO's {@code {"teacher": ..., "student": ...}}). */
    public Object root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        Storage storage = (Storage) args[0];
        long offset = ((Number) args[1]).longValue();
        return new TorchTensor(storage, offset, longs((Object[]) args[2]), longs((Object[]) args[3]));
    }

    private static long[] longs(Object[] tuple) {
        long[] out = new long[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            out[i] = ((Number) tuple[i]).longValue();
        }
        return out;
    }

    /** The bytes of storage {@code key}, read once and shared by the tensors that view it. */
    private synchronized ByteBuffer storageBytes(String key) {
        return storages.computeIfAbsent(key, name -> {
            ZipEntry entry = zip.getEntry(prefix + "data/" + name);
            if (entry == null) {
                throw new DataException(file + " is damaged: its pickle names storage " + name + " but the zip has no "
                        + prefix + "data/" + name);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException e) {
                throw new DataException("cannot read storage " + name + " of " + file + " (" + e.getMessage() + ")");
            }
        });
    }

    /** Turns the pickle's persistent ids, {@code ("storage", type, key, device, numel)}, into storages. */
    private final class StorageUnpickler extends Unpickler {

        @Override
        protected Object persistentLoad(Object pid) {
            Object[] id = (Object[]) pid;
            if (id.length < 5 || !"storage".equals(id[0]) || !(id[1] instanceof StorageClass type)) {
                throw new PickleException("unsupported persistent id " + Arrays.toString(id)
                        + "; PoolLab reads storages of the types " + ElementType.names());
            }
            return new Storage(TorchCheckpoint.this, type.type(), (String) id[2], ((Number) id[4]).longValue());
        }
    }

    /** The constructor the pickle names a storage's type by, e.g. {@code torch.FloatStorage}. */
    private record StorageClass(ElementType type) implements IObjectConstructor {

        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + type.storageClass() + " cannot be called in a checkpoint");
        }
    }

    /** One storage: element type, zip key, element count. */
    private record Storage(TorchCheckpoint owner, ElementType type, String key, long elements) {

        ByteBuffer bytes() {
            return owner.storageBytes(key);
        }
    }

    /** A tensor: a strided view of a storage. */
    private record TorchTensor(Storage storage, long offset, long[] shape, long[] stride) implements ExternalTensor {

        @Override
        public String dtype() {
            return storage.type().torchName();
        }

        @Override
        public INDArray load() {
            long count = 1;
            for (long side : shape) {
                count *= side;
            }
            long[] indices = new long[Math.toIntExact(count)];
            int[] position = new int[shape.length];
            for (int i = 0; i < indices.length; i++) { // C order over the shape, strides into the storage
                long index = offset;
                for (int axis = 0; axis < shape.length; axis++) {
                    index += position[axis] * stride[axis];
                }
                if (index >= storage.elements()) {
                    throw new DataException("a tensor of shape " + Arrays.toString(shape) + " reaches past "
                            + "the end of its storage " + storage.key() + " (" + storage.elements() + " elements)");
                }
                indices[i] = index;
                for (int axis = shape.length - 1; axis >= 0 && ++position[axis] == shape[axis]; axis--) {
                    position[axis] = 0;
                }
            }
            return storage.type().read(storage.bytes(), indices, shape);
        }
    }

    /** A pickled {@code OrderedDict}: its items in order; its {@code _metadata} attribute (versions) is dropped. */
    public static final class PickledDict extends LinkedHashMap<Object, Object> {

        /** BUILD with the dict's attributes. */
        public void __setstate__(HashMap<?, ?> state) {
            // the state dict's _metadata (module versions) means nothing outside PyTorch
        }
    }

    /** A value of a class PoolLab does not need (a numpy scalar among saved arguments). */
    public record Opaque(String className) {

        /** BUILD with a dict state, which is not kept (the pickle library looks the method up by exact type). */
        public void __setstate__(HashMap<?, ?> state) {
            // not needed: only tensors and the maps that hold them are read
        }

        /** BUILD with a tuple state (numpy's dtype), which is not kept. */
        public void __setstate__(Object[] state) {
            // not needed, as above
        }
    }
}
