package org.poollab.train.dino;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.graph.GraphScope;
import org.poollab.api.graph.Layers;
import org.poollab.api.graph.Precision;
import org.poollab.config.DinoConfig;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.data.augment.MultiCropBatches;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;

/**
 * The student graph: backbone + pooling + DINO head on the global views and, with the same parameters, on the
 * local views, ending in DINO's per-image loss against the teacher's targets.
 *
 * @param sd the graph
 * @param scope its root scope
 * @param perImageLoss the per-image loss {@code [B]}
 * @param features the training step's feature placeholders, in order
 */
record Student(SameDiff sd, GraphScope scope, SDVariable perImageLoss, List<String> features) {

    /** Placeholder of the global views {@code [2B, C, G, G]}. */
    static final String GLOBAL = "global";

    /**
     * @param global the global view shape (the data set's image shape)
     * @param local the local view shape
     */
    static Student build(ModelSpec spec, Layers layers, DinoConfig config, ImageShape global, ImageShape local,
                         long seed, Precision precision) {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.FLOAT, seed, precision);
        DinoHead head = new DinoHead(layers, config);
        int dim = spec.featureDim();
        SDVariable globalImages = ModelGraph.imageInput(scope, GLOBAL, global);
        SDVariable globalLogits = head.apply(scope.child("head"),
                ModelGraph.forward(spec, scope, globalImages, global).features(), dim);
        SDVariable localLogits = null;
        List<String> features = new ArrayList<>(List.of(GLOBAL));
        if (config.localCrops() > 0) {
            GraphScope localScope = scope.forInput(MultiCropBatches.LOCAL);
            SDVariable localImages = ModelGraph.imageInput(scope, MultiCropBatches.LOCAL, local);
            localLogits = head.apply(localScope.child("head"),
                    ModelGraph.forward(spec, localScope, localImages, local).features(), dim);
            features.add(MultiCropBatches.LOCAL);
        }
        SDVariable loss = DinoLoss.perImage(layers, sd, globalLogits, localLogits, config.localCrops(),
                config.outDim(), config.studentTemp());
        scope.stochasticInputs().forEach(input -> features.add(input.placeholder()));
        return new Student(sd, scope, loss, List.copyOf(features));
    }

    /** The placeholders fed as labels: the teacher's targets per view and summed over views. */
    static List<String> labels() {
        return List.of(DinoLoss.TEACHER_VIEWS, DinoLoss.TEACHER_SUM);
    }

    /** A batch as the feature arrays, in {@link #features} order. */
    INDArray[] featureArrays(MultiCropBatch batch) {
        INDArray[] arrays = new INDArray[features.size()];
        for (int i = 0; i < arrays.length; i++) {
            String name = features.get(i);
            arrays[i] = name.equals(GLOBAL) ? batch.global()
                    : name.equals(MultiCropBatches.LOCAL) ? batch.local() : batch.randomInputs().get(name);
        }
        return arrays;
    }
}
