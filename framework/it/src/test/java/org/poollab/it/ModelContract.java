package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.backbone.ImageShape;
import org.poollab.data.StochasticMasks;
import org.poollab.model.ModelGraph;

/**
 * What every backbone + pooling model must do on random images: pooled {@code [B, d]} and finite, a map (when
 * there is one) {@code [B, N]} (per-head maps {@code [B, H, N]}), non-negative and summing to 1, and a finite,
 * non-zero gradient on every parameter.
 */
final class ModelContract {

    private ModelContract() {
    }

    /**
     * @param input the image shape the model was built for
     * @param B the batch to run
     */
    static void assertHolds(ModelGraph model, ImageShape input, int batch) {
        int B = batch; // the name the shapes below are written in
        Nd4j.getRandom().setSeed(2);
        Map<String, INDArray> inputs = new HashMap<>(StochasticMasks.evaluation(model.stochasticInputs(), in -> B));
        inputs.put(ModelGraph.IMAGES, Nd4j.randn(DataType.FLOAT, B, input.channels(), input.height(),
                input.width()));

        List<String> outputs = new ArrayList<>(List.of(model.features().name()));
        model.attention().ifPresent(a -> outputs.add(a.name()));
        model.headAttention().ifPresent(a -> outputs.add(a.name()));
        Map<String, INDArray> values = model.sd().output(inputs, outputs.toArray(new String[0]));
        INDArray pooled = values.get(model.features().name());
        assertArrayEquals(new long[] {B, model.featureDim()}, pooled.shape());
        assertFalse(pooled.isNaN().any() || pooled.isInfinite().any(), "non-finite pooled features");
        model.attention().ifPresent(a -> {
            INDArray map = values.get(a.name());
            assertEquals(B, map.size(0));
            assertTrue(map.minNumber().doubleValue() >= 0, "negative attention");
            INDArray sums = map.sum(1);
            for (int b = 0; b < B; b++) {
                assertEquals(1.0, sums.getDouble(b), 1e-4, "attention of image " + b + " sums to " + sums);
            }
        });
        model.headAttention().ifPresent(a -> {
            INDArray heads = values.get(a.name());
            assertEquals(3, heads.rank(), "per-head maps are [B, H, N]");
            assertTrue(heads.minNumber().doubleValue() >= 0, "negative attention in a head");
            INDArray sums = heads.sum(2);
            assertEquals(0, sums.sub(1.0).amaxNumber().doubleValue(), 1e-4, "a head's map does not sum to 1");
        });

        Nd4j.getRandom().setSeed(3);
        SDVariable loss = model.features().mul(model.sd().constant(Nd4j.randn(DataType.FLOAT, B,
                model.featureDim()))).sum();
        List<String> parameters = model.sd().variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE).map(SDVariable::name).toList();
        model.sd().setLossVariables(loss.name());
        Map<String, INDArray> gradients = model.sd().calculateGradients(inputs, parameters);
        for (String parameter : parameters) {
            INDArray gradient = gradients.get(parameter);
            double largest = gradient == null ? Double.NaN : gradient.amaxNumber().doubleValue();
            assertTrue(largest > 0 && Double.isFinite(largest), "no finite non-zero gradient reaches " + parameter
                    + " (largest |g| = " + largest + ")");
        }
    }
}
