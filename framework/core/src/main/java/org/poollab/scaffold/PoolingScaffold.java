package org.poollab.scaffold;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.poollab.api.PoolLabApi;

/**
 * A standalone Maven project for one pooling plugin, outside this repository: its parent is PoolLab's plugin parent
 * (from the local Maven repository, at this build's version), which makes the API provided, writes the PF4J
 * manifest and copies the jar to the project's {@code target/plugins/}; a working attention pooling written as
 * the three {@code StagedPooling} steps to change; and a test that runs the test kit's contract.
 */
public final class PoolingScaffold {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final String id;
    private final String className;
    private final String packageName;

    /**
     * @param id the pooling's id and plugin id: lower-case letters, digits and dashes, starting with a letter
     * @throws IllegalArgumentException naming the rule when the id breaks it
     */
    public PoolingScaffold(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the plugin name '" + id + "' must be 1-40 lower-case letters, digits "
                    + "or dashes, starting with a letter (it becomes the pooling id, e.g. 'my-pool')");
        }
        this.id = id;
        StringBuilder camel = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        this.className = camel + "Pooling";
        this.packageName = "org.example." + id.replace("-", "");
    }

    /**
     * Writes the project into {@code folder} (created; it must not hold files yet).
     *
     * @return the files written
     * @throws IllegalStateException if the folder already holds files (nothing is overwritten)
     */
    public List<Path> write(Path folder) {
        try {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalStateException(folder + " is not empty; give a new folder with --dir (nothing "
                                + "was written)");
                    }
                }
            }
            String sources = packageName.replace('.', '/');
            Map<Path, String> files = new LinkedHashMap<>();
            files.put(Path.of("pom.xml"), fill(POM));
            files.put(Path.of("README.md"), fill(README));
            files.put(Path.of("src/main/java", sources, className + ".java"), fill(POOLING));
            files.put(Path.of("src/test/java", sources, className + "ContractTest.java"), fill(TEST));
            List<Path> written = new ArrayList<>();
            for (Map.Entry<Path, String> file : files.entrySet()) {
                Path target = folder.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
                written.add(target);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plugin project into " + folder + " (" + e.getMessage()
                    + ")", e);
        }
    }

    private String fill(String template) {
        return template.replace("@ID@", id).replace("@CLASS@", className).replace("@PACKAGE@", packageName)
                .replace("@BUILD@", PoolLabApi.BUILD);
    }

    private static final String POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="http://maven.apache.org/POM/4.0.0
                                         https://maven.apache.org/xsd/maven-4.0.0.xsd">
              <modelVersion>4.0.0</modelVersion>
              <!-- PoolLab's plugin parent: the API provided, the PF4J manifest, the contract test kit, and the jar
                   copied to target/plugins/@ID@.jar. It comes from the local Maven repository, where
                   './poollab setup' installs it at the version of the PoolLab build. -->
              <parent>
                <groupId>org.poollab</groupId>
                <artifactId>poollab-plugins-parent</artifactId>
                <version>@BUILD@</version>
                <relativePath/>
              </parent>
              <groupId>org.example</groupId>
              <artifactId>poollab-plugin-@ID@</artifactId>
              <version>0.1.0</version>
              <description>@ID@: an attention pooling (describe your method here).</description>
              <properties>
                <plugin.id>@ID@</plugin.id>
                <plugin.provider>your lab</plugin.provider>
                <!-- PoolLab's own build fails on compiler warnings and checks Javadoc; this project need not. -->
                <poollab.failOnWarning>false</poollab.failOnWarning>
                <poollab.doclint>none</poollab.doclint>
              </properties>
            </project>
            """;

    private static final String README = """
            # @ID@ — a PoolLab pooling plugin

            `mvn -q package` builds `target/plugins/@ID@.jar` and runs the contract test (`@CLASS@ContractTest`);
            `./poollab run EXPERIMENT.yaml --plugins <this folder>/target/plugins` with `pooling: {id: @ID@}` uses it.
            """;

    private static final String POOLING = """
            package @PACKAGE@;

            import java.util.List;
            import org.nd4j.autodiff.samediff.SDVariable;
            import org.nd4j.autodiff.samediff.SameDiff;
            import org.pf4j.Extension;
            import org.poollab.api.backbone.Features;
            import org.poollab.api.graph.GraphScope;
            import org.poollab.api.param.ParamSpec;
            import org.poollab.api.param.Params;
            import org.poollab.api.pooling.Interaction;
            import org.poollab.api.pooling.Pooling;
            import org.poollab.api.pooling.PoolingModule;
            import org.poollab.api.pooling.StagedPooling;
            import org.poollab.api.pooling.TokenOrder;

            /**
             * @ID@: tokens {@code [B, N, d]} to a vector {@code [B, d]} and an attention map {@code [B, N]}, in the
             * three steps of the generic pooling framework (SimPool, Psomas et al., ICCV 2023, section 3). As
             * written, a working starting point: the token mean as the query, dot-product attention with a learned
             * sharpness, and the weighted mean of the tokens. Change the steps to your method.
             */
            @Extension
            public final class @CLASS@ implements Pooling {

                @Override
                public String id() {
                    return "@ID@";
                }

                @Override
                public String description() {
                    return "@ID@: dot-product attention of the token mean over the tokens, with a learned sharpness.";
                }

                @Override
                public List<ParamSpec> parameters() {
                    return List.of(ParamSpec.doubleParam("sharpness", 1.0, "initial sharpness of the attention")
                            .min(1e-3).max(1e3));
                }

                @Override
                public TokenOrder tokenOrder() {
                    return TokenOrder.INVARIANT; // the tokens are used as a set; say DEPENDENT if yours reads the grid
                }

                @Override
                public PoolingModule create(Params params, int dim) {
                    double sharpness = params.getDouble("sharpness");
                    return new StagedPooling() {
                        /** Step 1, the initial representation u0: the token mean, {@code [B, d]}. */
                        @Override
                        protected SDVariable initialRepresentation(GraphScope scope, Features features) {
                            return features.tokens().mean(1);
                        }

                        /** Step 2, the interaction: softmax_j of s (u0 . x_j) / sqrt(d), {@code [B, 1, N]}. */
                        @Override
                        protected Interaction interact(GraphScope scope, Features features, SDVariable initial) {
                            SameDiff sd = scope.sd();
                            SDVariable scale = scope.scalar("sharpness", sharpness, true);
                            SDVariable logits = sd.squeeze(sd.linalg().mmul(features.tokens(),
                                    sd.expandDims(initial, 2)), 2); // [B, N]
                            SDVariable weights = sd.nn().softmax(logits.mul(scale).mul(1 / Math.sqrt(dim)), 1);
                            return new Interaction(sd.expandDims(weights, 1), 1, features.tokens());
                        }

                        /** Step 3, the aggregation: the weighted sum of the values, {@code [B, d]}. */
                        @Override
                        protected SDVariable aggregate(GraphScope scope, Features features, Interaction interaction) {
                            SDVariable weights = scope.sd().permute(interaction.weights(), 0, 2, 1); // [B, N, 1]
                            return interaction.values().mul(weights).sum(1);
                        }
                    };
                }
            }
            """;

    private static final String TEST = """
            package @PACKAGE@;

            import org.poollab.api.pooling.Pooling;
            import org.poollab.testkit.PoolingContract;

            /** PoolLab's pooling contract: shapes, gradients against finite differences, the map, token order. */
            class @CLASS@ContractTest extends PoolingContract {

                @Override
                protected Pooling pooling() {
                    return new @CLASS@();
                }
            }
            """;
}
