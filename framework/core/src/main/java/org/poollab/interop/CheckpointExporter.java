package org.poollab.interop;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataSource;
import org.poollab.train.Checkpoint;
import org.poollab.train.CheckpointWeights;
import org.poollab.train.RunCheckpoints;

/**
 * {@code poollab export}: a PoolLab checkpoint's backbone and pooling as a {@code .safetensors} state dict in the
 * reference layout, which {@code model.load_state_dict(safetensors.torch.load_file(f))} of DINO's or the SimPool
 * authors' ViT / ResNet accepts (their heads, which PoolLab does not train the same way, are not written). The
 * file's metadata keeps PoolLab's config, so {@code poollab import} of it needs no options.
 */
public final class CheckpointExporter {

    /** The name layouts offered; for the shipped backbones they coincide (see {@link WeightNames}). */
    public static final List<String> LAYOUTS = List.of("dino", "timm");
    private static final String COMPONENTS = "backbone/|pooling/";

    private final PrintStream out;

    /** @param out where the result is reported */
    public CheckpointExporter(PrintStream out) {
        this.out = out;
    }

    /**
     * Writes the model of {@code checkpoint} (DINO: the teacher) to {@code target}.
     *
     * @param layout one of {@link #LAYOUTS}
     */
    public void export(Checkpoint checkpoint, String layout, Path target) throws IOException {
        ExperimentConfig config = RunCheckpoints.config(checkpoint);
        CheckpointWeights.Group group = CheckpointWeights.modelOf(checkpoint);
        Map<String, INDArray> model = new LinkedHashMap<>();
        group.arrays().forEach((name, array) -> {
            if (name.matches("(" + COMPONENTS + ").*")) {
                model.put(name, array);
            }
        });
        int channels = DataSource.inputShape(config.data()).channels();
        Map<String, INDArray> tensors = new WeightMapping(config.pooling().id()).toExternal(model, channels);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt"); // what safetensors.torch expects
        metadata.put("poollab.layout", layout);
        metadata.put("poollab.model", group.name());
        metadata.put(CheckpointImporter.CONFIG_METADATA, RunCheckpoints.configText(checkpoint));
        SafeTensors.write(target, tensors, metadata);
        out.printf("exported %d tensors of the %s (%s + %s, %d arrays of heads left out): %s%n", tensors.size(),
                group.name(), config.backbone().id(), config.pooling().id(), group.arrays().size() - model.size(),
                target);
    }
}
