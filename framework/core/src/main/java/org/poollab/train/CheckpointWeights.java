package org.poollab.train;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.DataException;
import org.poollab.model.ModelGraph;

/** Puts a checkpoint's trained weights into a freshly built backbone + pooling graph. */
public final class CheckpointWeights {

    /**
     * What k-NN evaluates: DINO's teacher, MoCo v3's momentum encoder, the supervised (or imported) model.
     */
    private static final String[] GROUPS = {"teacher", "momentum", SupervisedTrainer.MODEL};

    private CheckpointWeights() {
    }

    /**
     * Assigns every parameter and running average of {@code model} from the checkpoint's teacher (DINO), momentum
     * encoder (MoCo v3) or model (supervised, imported) arrays; checkpoint arrays the graph does not use (heads) are
     * ignored.
     *
     * @throws DataException if a weight is missing or has another shape
     */
    public static void load(Checkpoint checkpoint, ModelGraph model) {
        Group group = modelOf(checkpoint);
        assign(group.name(), group.arrays(), ModelGraph.weightsOf(model.scope()));
    }

    /**
     * The arrays of the model a checkpoint evaluates: DINO's teacher, MoCo v3's momentum encoder, else the
     * supervised or imported model (heads included).
     *
     * @throws DataException if the checkpoint holds neither
     */
    public static Group modelOf(Checkpoint checkpoint) {
        for (String candidate : GROUPS) {
            if (!checkpoint.arraysOf(candidate).isEmpty()) {
                return new Group(candidate, checkpoint.arraysOf(candidate));
            }
        }
        throw new DataException("the checkpoint holds no teacher, momentum-encoder or model weights");
    }

    /**
     * A named group of a checkpoint's arrays.
     *
     * @param name e.g. {@code teacher}
     * @param arrays by graph name
     */
    public record Group(String name, Map<String, INDArray> arrays) {
    }

    /**
     * Assigns every live array from the saved array of the same name.
     *
     * @param group the checkpoint group the arrays come from (for the message)
     * @param saved the checkpoint's arrays; extra ones are ignored
     * @param live the arrays to overwrite, by name
     * @throws DataException naming the first array that is missing or has another shape
     */
    public static void assign(String group, Map<String, INDArray> saved, Map<String, INDArray> live) {
        for (Map.Entry<String, INDArray> target : live.entrySet()) {
            INDArray source = saved.get(target.getKey());
            if (source == null || !Arrays.equals(source.shape(), target.getValue().shape())) {
                throw new DataException("the checkpoint's " + group + " arrays do not fit " + target.getKey() + " ("
                        + (source == null ? "missing" : "shape " + Arrays.toString(source.shape()))
                        + "); was it written with another backbone, pooling or PoolLab version?");
            }
            target.getValue().assign(source);
        }
    }
}
