package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.poollab.api.backbone.ImageShape;
import org.poollab.config.ComponentConfig;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;

/**
 * The paper's settings build and train: ViT-S/16 and ResNet-50 with SimPool on colour 224-px images, a forward
 * and backward pass at batch 2 ({@link ModelContract}). Their speed is in the benchmark, not here.
 */
class RealSizeModelsIT {

    private static final ImageShape IMAGENET = new ImageShape(3, 224, 224);
    @RegisterExtension
    static final ShippedPlugins PLUGINS = new ShippedPlugins();

    private static ModelGraph build(String backbone, String preset, Map<String, Object> poolingParams) {
        ModelSpec spec = ModelSpec.resolve(PLUGINS.registry(), new ComponentConfig(backbone, preset, Map.of()),
                new ComponentConfig("simpool", null, poolingParams), IMAGENET);
        return ModelGraph.build(spec, DataType.FLOAT, 1);
    }

    @Test
    void vitSmall16WithSimPoolOn224PixelColourImages() {
        ModelGraph model = build("vit", "small", Map.of());
        assertEquals(384, model.featureDim());
        assertEquals(14, model.grid().height(), "224 / 16 = 14 patches a side");
        ModelContract.assertHolds(model, IMAGENET, 2);
    }

    @Test
    void resnet50WithSimPoolOn224PixelColourImages() {
        ModelGraph model = build("resnet", "resnet50", Map.of("gamma", 2.0));
        assertEquals(2048, model.featureDim());
        assertEquals(7, model.grid().height(), "a stride-32 feature map of 224 px is 7 x 7");
        assertTrue(model.attention().isPresent(), "SimPool's map over the 49 cells");
        ModelContract.assertHolds(model, IMAGENET, 2);
    }
}
