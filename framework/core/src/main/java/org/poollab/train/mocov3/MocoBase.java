package org.poollab.train.mocov3;

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
import org.poollab.config.MocoConfig;
import org.poollab.data.augment.MultiCropBatch;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;

/**
 * The base encoder's training graph: backbone + pooling on both views at once ({@code [2B]}, view-major), then per
 * view the projection MLP and the prediction MLP (queries), and the contrastive loss against the momentum
 * encoder's keys, which are fed. Backbone and pooling see the two views as one batch (what DINO's multi-crop
 * wrapper does; it matters only for a backbone with batch norm), the MLPs' batch norms each view alone, as the
 * reference's separate forward passes.
 *
 * @param sd the graph
 * @param scope its root scope
 * @param perImageLoss the per-image loss {@code [B]}
 * @param features the training step's feature placeholders, in order
 * @param queries the two views' queries {@code [B, D]} (the watched outputs of a step)
 */
record MocoBase(SameDiff sd, GraphScope scope, SDVariable perImageLoss, List<String> features,
                List<String> queries) {

    /** Placeholder of the two views {@code [2B, C, H, W]}: view 1 of every image, then view 2. */
    static final String VIEWS = "views";
    /** Placeholders of the momentum encoder's keys of view 1 and view 2, {@code [B, D]}. */
    static final List<String> KEYS = List.of("keys1", "keys2");
    static final String PROJECTOR = "projector";
    static final String PREDICTOR = "predictor";

    static MocoBase build(ModelSpec spec, Layers layers, MocoConfig config, ImageShape view, long seed,
                          Precision precision) {
        SameDiff sd = SameDiff.create();
        GraphScope scope = GraphScope.root(sd, DataType.FLOAT, seed, precision);
        int dim = spec.featureDim();
        SDVariable images = ModelGraph.imageInput(scope, VIEWS, view);
        SDVariable features = ModelGraph.forward(spec, scope, images, view).features(); // [2B, d]
        SDVariable[] perView = sd.unstack(features.reshape(2, -1, dim), 0, 2); // 2 x [B, d]
        MocoMlp projector = projector(layers, config);
        MocoMlp predictor = new MocoMlp(layers, config.predictorLayers(), config.hiddenDim(), config.outDim());
        SDVariable[] queries = new SDVariable[2];
        for (int v = 0; v < 2; v++) {
            SDVariable projected = projector.apply(scope.child(PROJECTOR), perView[v], dim);
            queries[v] = predictor.apply(scope.child(PREDICTOR), projected, config.outDim());
        }
        SDVariable keys1 = sd.placeHolder(KEYS.get(0), DataType.FLOAT, -1, config.outDim());
        SDVariable keys2 = sd.placeHolder(KEYS.get(1), DataType.FLOAT, -1, config.outDim());
        SDVariable loss = ContrastiveLoss.perImage(sd, queries[0], queries[1], keys1, keys2, config.temperature());
        List<String> placeholders = new ArrayList<>(List.of(VIEWS));
        scope.stochasticInputs().forEach(input -> placeholders.add(input.placeholder()));
        return new MocoBase(sd, scope, loss, List.copyOf(placeholders), List.of(queries[0].name(),
                queries[1].name()));
    }

    /** The projection MLP, the same for both encoders. */
    static MocoMlp projector(Layers layers, MocoConfig config) {
        return new MocoMlp(layers, config.projectorLayers(), config.hiddenDim(), config.outDim());
    }

    /** A batch as the feature arrays, in {@link #features} order. */
    INDArray[] featureArrays(MultiCropBatch batch) {
        INDArray[] arrays = new INDArray[features.size()];
        for (int i = 0; i < arrays.length; i++) {
            String name = features.get(i);
            arrays[i] = name.equals(VIEWS) ? batch.global() : batch.randomInputs().get(name);
        }
        return arrays;
    }
}
