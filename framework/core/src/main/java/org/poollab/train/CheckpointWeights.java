package org.poollab.train;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.data.DataException;
import org.poollab.model.ModelGraph;

/** Puts a checkpoint's trained weights into a freshly built backbone + pooling graph. */
public final class CheckpointWeights {

    /** DINO keeps the teacher (what k-NN evaluates); supervised runs keep the model. */
    private static final String[] GROUPS = {"teacher", SupervisedTrainer.MODEL};

    private CheckpointWeights() {
    }

    /**
     * Assigns every parameter of {@code model} from the checkpoint's teacher (DINO) or model (supervised) arrays;
     * checkpoint arrays the graph does not use (heads) are ignored.
     *
     * @throws DataException if a parameter is missing or has another shape
     */
    public static void load(Checkpoint checkpoint, ModelGraph model) {
        Map<String, INDArray> weights = Map.of();
        String group = null;
        for (String candidate : GROUPS) {
            if (!checkpoint.arraysOf(candidate).isEmpty()) {
                weights = checkpoint.arraysOf(candidate);
                group = candidate;
                break;
            }
        }
        if (group == null) {
            throw new DataException("the checkpoint holds no teacher or model weights");
        }
        for (SDVariable variable : model.sd().variables()) {
            if (variable.getVariableType() != VariableType.VARIABLE) {
                continue;
            }
            INDArray saved = weights.get(variable.name());
            if (saved == null || !Arrays.equals(saved.shape(), variable.getArr().shape())) {
                throw new DataException("the checkpoint's " + group + " weights do not fit parameter "
                        + variable.name() + " (" + (saved == null ? "missing" : "shape " + Arrays.toString(saved.shape()))
                        + "); was it trained with another backbone or pooling?");
            }
            variable.getArr().assign(saved);
        }
    }
}
