package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nd4j.linalg.api.buffer.DataType;
import org.poollab.api.backbone.Backbone;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.pooling.Pooling;
import org.poollab.config.ComponentConfig;
import org.poollab.model.IncompatibleComponentsException;
import org.poollab.model.ModelGraph;
import org.poollab.model.ModelSpec;
import org.poollab.plugin.Registered;
import org.poollab.testkit.BackboneContract;
import org.poollab.testkit.PoolingContract;

/**
 * The contract every pooling plugin meets with every backbone it applies to, run over whatever the plugins
 * directory holds: pooled {@code [B, d]} and finite, a non-zero gradient on every parameter, and an attention
 * map (when there is one) {@code [B, N]}, non-negative, summing to 1. A pair the framework refuses must be refused
 * with a clear error, not fail later.
 */
class PoolingContractIT {

    private static final int B = 3;
    private static final ImageShape INPUT = new ImageShape(1, 28, 28);

    @RegisterExtension
    static final ShippedPlugins PLUGINS = new ShippedPlugins();

    /**
     * The test kit's {@link PoolingContract}, the one a plugin's own test extends, on every loaded pooling (the
     * rule that every parameter gets a gradient stays with the plugin's own test, which declares its exceptions).
     */
    @TestFactory
    Stream<DynamicTest> theTestKitsContractOnEveryLoadedPooling() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Registered<Pooling> loaded : PLUGINS.registry().poolings().values()) {
            PoolingContract contract = new PoolingContract() {
                @Override
                protected Pooling pooling() {
                    return loaded.component();
                }

                @Override
                protected boolean requiresAGradientOnEveryParameter() {
                    return false;
                }
            };
            String id = loaded.component().id() + " (" + loaded.jar() + ")";
            tests.add(DynamicTest.dynamicTest(id + ": shape",
                    contract::poolsEachImageToAFiniteVectorOfTheDeclaredWidth));
            tests.add(DynamicTest.dynamicTest(id + ": gradients",
                    contract::gradientsMatchFiniteDifferencesAndReachEveryParameter));
            // Aborted (skipped) for a pooling without a map, or one that declares no token order.
            tests.add(DynamicTest.dynamicTest(id + ": map", contract::theAttentionMapIsADistributionOverTheTokens));
            tests.add(DynamicTest.dynamicTest(id + ": token order", contract::tokenOrderIsAsDeclared));
        }
        return tests.stream();
    }

    /** The test kit's {@link BackboneContract}, the one a backbone's own test extends, on every loaded backbone. */
    @TestFactory
    Stream<DynamicTest> theTestKitsContractOnEveryLoadedBackbone() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Registered<Backbone> loaded : PLUGINS.registry().backbones().values()) {
            BackboneContract contract = new BackboneContract() {
                @Override
                protected Backbone backbone() {
                    return loaded.component();
                }
            };
            String id = loaded.component().id() + " (" + loaded.jar() + ")";
            tests.add(DynamicTest.dynamicTest(id + ": tokens",
                    contract::returnsFiniteTokensOfItsGridAndWidthForEachImage));
            tests.add(DynamicTest.dynamicTest(id + ": smaller image",
                    contract::aSmallerImageGivesTheTokensOfItsOwnGrid));
            tests.add(DynamicTest.dynamicTest(id + ": gradients",
                    contract::gradientsMatchFiniteDifferencesAndReachEveryParameter));
            tests.add(DynamicTest.dynamicTest(id + ": prefix tokens",
                    contract::aRequestedPrefixTokenComesBackWithItsOwnState));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyPoolingWithEveryBackbone() {
        assertTrue(PLUGINS.registry().poolings().size() >= 6, "plugins directory incomplete: "
                + PLUGINS.registry().poolings().keySet());
        List<DynamicTest> tests = new ArrayList<>();
        for (String backbone : PLUGINS.registry().backbones().keySet()) {
            for (String pooling : PLUGINS.registry().poolings().keySet()) {
                tests.add(DynamicTest.dynamicTest(pooling + " on " + backbone, () -> check(backbone, pooling)));
            }
        }
        return tests.stream();
    }

    private static void check(String backboneId, String poolingId) {
        // Each backbone's own small version, so that the whole matrix runs in seconds.
        ModelSpec spec = ModelSpec.resolve(PLUGINS.registry(),
                new ComponentConfig(backboneId, Backbone.TEST_PRESET, Map.of()),
                new ComponentConfig(poolingId, null, Map.of()), INPUT);
        ModelGraph model;
        try {
            model = ModelGraph.build(spec, DataType.FLOAT, 1);
        } catch (IncompatibleComponentsException refused) {
            assertTrue(refused.getMessage().contains(poolingId) && refused.getMessage().contains(backboneId),
                    refused.getMessage());
            return;
        }
        ModelContract.assertHolds(model, INPUT, B);
    }
}
