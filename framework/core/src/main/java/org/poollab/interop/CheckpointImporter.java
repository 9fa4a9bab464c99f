package org.poollab.interop;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.data.DataException;
import org.poollab.hash.Sha256;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginProvenance;
import org.poollab.train.Checkpoint;
import org.poollab.train.RunCheckpoints;

/**
 * {@code poollab import}: a reference checkpoint (PyTorch {@code .pth}/{@code .pt} or {@code .safetensors}) as a
 * PoolLab checkpoint of the chosen backbone and pooling. The model is built from the settings; each of its weights
 * is taken from the file under its reference name ({@link WeightMapping}); the result keeps the file's float type
 * (so an export reproduces it bit for bit), the config and where it came from ({@link ImportRecord}).
 */
public final class CheckpointImporter {

    /** The metadata key a PoolLab export keeps its config under ({@code key = value} lines). */
    static final String CONFIG_METADATA = "poollab.config";
    /** Evaluation runs of imported models go to this MLflow experiment unless {@code --set experiment=...}. */
    private static final String EXPERIMENT = "imported";
    /** The image side assumed for a CNN, whose weights do not tell it (ImageNet's evaluation crop). */
    private static final int DEFAULT_SIZE = 224;

    private final ComponentRegistry registry;
    private final PrintStream out;

    /**
     * @param registry the loaded plugins
     * @param out where the mapping is listed
     */
    public CheckpointImporter(ComponentRegistry registry, PrintStream out) {
        this.registry = registry;
        this.out = out;
    }

    /**
     * Imports {@code file} and writes the PoolLab checkpoint {@code target}.
     *
     * @param key the checkpoint key holding the model, or null for the default ({@link StateDict#KEYS})
     * @param settings {@code dotted.key=value} config settings (backbone, pooling, data, overrides), applied over
     *     what the file implies (its image size and channels, or the config a PoolLab export carries)
     * @throws DataException naming the file and what does not fit
     */
    public void importFile(Path file, String key, List<String> settings, Path target) throws IOException {
        try (StateDict.Opened opened = StateDict.open(file, key)) {
            StateDict stateDict = opened.stateDict();
            out.println("reading " + file + (stateDict.key().isEmpty() ? "" : " (key '" + stateDict.key() + "')")
                    + ": " + stateDict.tensors().size() + " tensors");
            List<String> all = new ArrayList<>(implied(stateDict));
            all.addAll(settings);
            ExperimentConfig config = ExperimentLoader.fromSettings(all);
            ModelSpec spec = ModelSpec.resolve(registry, config);
            ModelGraph model = ModelGraph.build(spec, DataType.FLOAT, config.seed());
            WeightMapping.Imported imported = new WeightMapping(config.pooling().id())
                    .toPoolLab(stateDict.tensors(), ModelGraph.weightsOf(model.scope()), model.grid());
            imported.lines().forEach(line -> out.println("  mapped " + line));
            imported.unexpected().forEach(name -> out.println("  unexpected (not used) " + name + " "
                    + Arrays.toString(stateDict.tensors().get(name).shape())));
            if (imported.ignored() > 0) {
                out.println("  ignored " + imported.ignored() + " batch-norm counters (num_batches_tracked)");
            }
            Checkpoint checkpoint = RunCheckpoints.ofModel(config, spec,
                    PluginProvenance.of(registry, config), imported.weights());
            new ImportRecord(file.toAbsolutePath().normalize().toString(), Sha256.of(file), stateDict.key())
                    .addTo(checkpoint).write(target);
            out.printf("imported %d weights (%d unexpected names left out) as %s%s + %s; written: %s%n",
                    imported.weights().size(), imported.unexpected().size(), spec.backboneId(),
                    config.backbone().preset() == null ? "" : " (" + config.backbone().preset() + ")",
                    spec.poolingId(), target);
        }
    }

    /**
     * The settings the file implies: a PoolLab export's own config; else an image folder of colour images at the
     * resolution the ViT's positional embedding was trained for (224 for a CNN), to be pointed at real data with
     * {@code data.path}.
     */
    private static List<String> implied(StateDict stateDict) {
        String config = stateDict.metadata().get(CONFIG_METADATA);
        if (config != null) {
            return RunCheckpoints.settings(config);
        }
        Map<String, ExternalTensor> tensors = stateDict.tensors();
        int size = DEFAULT_SIZE;
        int channels = 3;
        ExternalTensor patch = tensors.get("patch_embed.proj.weight");
        ExternalTensor positions = tensors.get("pos_embed");
        ExternalTensor stem = tensors.get("conv1.weight");
        if (patch != null && patch.shape().length == 4 && positions != null) {
            long count = positions.shape()[positions.shape().length - 2];
            long side = Math.round(Math.sqrt(count));
            if (side * side != count) {
                side = Math.round(Math.sqrt(count - 1));
            }
            size = (int) (side * patch.shape()[2]);
            channels = (int) patch.shape()[1];
        } else if (stem != null && stem.shape().length == 4) {
            channels = (int) stem.shape()[1];
        }
        return List.of("experiment=" + EXPERIMENT, "data.dataset=imagefolder", "data.path=images",
                "data.imageSize=" + size, "data.channels=" + channels);
    }
}
