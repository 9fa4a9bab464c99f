package org.poollab.interop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.poollab.data.DataException;

/**
 * One model's tensors from a reference file, by the name the reference code gives them: a {@code .safetensors}
 * file as it is, or the part of a PyTorch checkpoint that holds the model (DINO writes {@code teacher} and
 * {@code student}, timm {@code state_dict} or {@code model}, a bare {@code torch.save(model.state_dict())} the
 * tensors at the top), nested dicts joined with dots, and the usual wrappers' prefixes stripped
 * ({@code module.} of DistributedDataParallel, {@code backbone.} of DINO's MultiCropWrapper).
 *
 * @param tensors by reference name
 * @param key the checkpoint key the tensors came from, or empty for the top level
 * @param metadata a safetensors file's {@code __metadata__} (empty for PyTorch checkpoints)
 */
public record StateDict(Map<String, ExternalTensor> tensors, String key, Map<String, String> metadata) {

    /** The keys tried, in order, when none is given: what k-NN should evaluate first (DINO's teacher). */
    public static final List<String> KEYS = List.of("teacher", "model", "state_dict", "student");
    private static final List<String> PREFIXES = List.of("module.", "backbone.");

    /**
     * Reads the file's model tensors (their values stay in the file until loaded).
     *
     * @param key the checkpoint key holding the model, or null to take the first of {@link #KEYS} present (or the
     *     top level when it holds tensors)
     * @return the state dict, and the open file its tensors are read from (close it when done)
     * @throws DataException naming the file, and the keys it has when the one asked for is missing
     */
    public static Opened open(Path file, String key) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            SafeTensors.Contents contents = SafeTensors.read(file);
            if (key != null) {
                throw new DataException("--key does not apply to " + file + ": a .safetensors file holds one "
                        + "model's tensors");
            }
            return new Opened(new StateDict(stripped(contents.tensors()), "", contents.metadata()), () -> { });
        }
        TorchCheckpoint checkpoint = TorchCheckpoint.open(file);
        try {
            if (!(checkpoint.root() instanceof Map<?, ?> root)) {
                throw new DataException(file + " holds a " + describe(checkpoint.root()) + ", not a dict of tensors "
                        + "(save model.state_dict(), or a dict holding it)");
            }
            String chosen = key != null ? key : defaultKey(root);
            Object selected = chosen.isEmpty() ? root : root.get(chosen);
            if (!(selected instanceof Map<?, ?> model)) {
                throw new DataException(file + " has no model under key '" + chosen + "'; its keys are "
                        + root.keySet() + " (pass one with --key)");
            }
            Map<String, ExternalTensor> tensors = new LinkedHashMap<>();
            flatten("", model, tensors);
            if (tensors.isEmpty()) {
                throw new DataException(file + (chosen.isEmpty() ? "" : " key '" + chosen + "'") + " holds no tensors; "
                        + "its keys are " + root.keySet() + " (pass the one holding the model with --key)");
            }
            return new Opened(new StateDict(stripped(tensors), chosen, Map.of()), checkpoint);
        } catch (RuntimeException e) {
            try {
                checkpoint.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The first of {@link #KEYS} the checkpoint has; the top level ("") when it holds tensors itself. */
    private static String defaultKey(Map<?, ?> root) {
        if (root.values().stream().anyMatch(ExternalTensor.class::isInstance)) {
            return "";
        }
        return KEYS.stream().filter(k -> root.get(k) instanceof Map<?, ?>).findFirst().orElseThrow(() ->
                new DataException("the checkpoint holds no tensors at its top level and none of the keys " + KEYS
                        + "; its keys are " + root.keySet() + " (pass the one holding the model with --key)"));
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, ExternalTensor> out) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = prefix + entry.getKey();
            if (entry.getValue() instanceof ExternalTensor tensor) {
                out.put(name, tensor);
            } else if (entry.getValue() instanceof Map<?, ?> child) {
                flatten(name + ".", child, out);
            }
        }
    }

    /** The names with the wrappers' prefixes removed; two tensors that would get one name are an error. */
    private static Map<String, ExternalTensor> stripped(Map<String, ExternalTensor> tensors) {
        Map<String, ExternalTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, ExternalTensor> entry : tensors.entrySet()) {
            String name = entry.getKey();
            for (String prefix : PREFIXES) {
                if (name.startsWith(prefix)) {
                    name = name.substring(prefix.length());
                }
            }
            if (out.put(name, entry.getValue()) != null) {
                throw new DataException("two tensors are named " + name + " once the prefixes " + PREFIXES + " are "
                        + "removed; pass the key of one model with --key");
            }
        }
        return out;
    }

    private static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }

    /**
     * A state dict and the file it reads from.
     *
     * @param stateDict the tensors
     * @param file closes the file
     */
    public record Opened(StateDict stateDict, Closeable file) implements Closeable {

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
