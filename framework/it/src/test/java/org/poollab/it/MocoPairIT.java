package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.poollab.api.graph.Layers;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentConfig;
import org.poollab.config.ExperimentLoader;
import org.poollab.data.DataSource;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.train.mocov3.MocoPair;

/** The MoCo v3 pair's structure: what each encoder holds, how the momentum encoder follows, the recipe's checks. */
class MocoPairIT {

    @RegisterExtension
    static final ShippedPlugins PLUGINS = new ShippedPlugins();

    private static MocoPair pair(String... settings) {
        List<String> all = new ArrayList<>(List.of("experiment=moco-pair", "trainer.id=mocov3",
                "backbone.preset=fmnist-tiny", "backbone.params.depth=1", "pooling.id=simpool",
                "trainer.mocov3.hiddenDim=32", "trainer.mocov3.outDim=16"));
        all.addAll(List.of(settings));
        ExperimentConfig config = ExperimentLoader.fromSettings(all);
        ModelSpec spec = ModelSpec.resolve(PLUGINS.registry(), config.backbone(), config.pooling(),
                DataSource.inputShape(config.data()));
        return MocoPair.build(spec, new Layers(), config, spec.input(), 10);
    }

    @Test
    void theMomentumEncoderFollowsEveryParameterItHasAndHasNoPredictor() {
        MocoPair pair = pair();
        Map<String, INDArray> base = ModelGraph.parametersOf(pair.baseGraph());
        Map<String, INDArray> momentum = ModelGraph.parametersOf(pair.evaluatedModel().sd());
        assertTrue(base.keySet().stream().anyMatch(n -> n.startsWith("predictor/")), base.keySet().toString());
        assertTrue(momentum.keySet().stream().noneMatch(n -> n.startsWith("predictor/")), momentum.keySet()
                .toString());
        assertEquals(base.keySet().stream().filter(n -> !n.startsWith("predictor/")).toList(),
                List.copyOf(momentum.keySet()), "the momentum encoder is the base encoder without the predictor");
        assertTrue(momentum.keySet().containsAll(List.of("pooling/Wq/W", "projector/fc0/W", "backbone/norm/gain")));
        Map<String, INDArray> before = new HashMap<>();
        momentum.forEach((name, array) -> {
            assertEquals(array, base.get(name), name + " starts as a copy");
            before.put(name, array.dup());
        });
        base.values().forEach(array -> array.addi(Nd4j.randn(array.dataType(), array.shape())));
        pair.momentumEncoder().follow(pair.baseGraph(), 0.9);
        momentum.forEach((name, array) -> {
            INDArray expected = before.get(name).mul(0.9).addi(base.get(name).mul(0.1));
            assertTrue(expected.equalsWithEps(array, 1e-6), name + " = 0.9 old + 0.1 base");
        });
    }

    @Test
    void freezingThePatchProjectionNeedsOneAndDrawsItXavierUniform() {
        MocoPair frozen = pair("trainer.mocov3.freezePatchEmbedding=true");
        INDArray patch = ModelGraph.parametersOf(frozen.baseGraph()).get("backbone/patch_embed/W"); // [16, 64]
        double bound = Math.sqrt(6.0 / (16 + 64));
        assertTrue(patch.amaxNumber().doubleValue() <= bound && patch.amaxNumber().doubleValue() > 0.9 * bound,
                "U(-a, a) with a = sqrt(6 / (fan in + fan out)): max |w| " + patch.amaxNumber());
        ConfigException noPatch = assertThrows(ConfigException.class, () -> pair(
                "trainer.mocov3.freezePatchEmbedding=true", "backbone.id=resnet", "backbone.preset=fmnist-tiny",
                "backbone.params.depth=18"));
        assertTrue(noPatch.getMessage().contains("freezePatchEmbedding"), noPatch.getMessage());
    }
}
