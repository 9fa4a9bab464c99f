package org.poollab.api.backbone;

import org.pf4j.ExtensionPoint;
import org.poollab.api.Component;
import org.poollab.api.param.Params;

/**
 * Extension point for feature extractors (ViT, ResNet, ...). One {@code @Extension} class per backbone; it is
 * created by the host's injector, so its constructor may {@code @Inject} framework services such as
 * {@link org.poollab.api.graph.Layers}.
 */
public interface Backbone extends ExtensionPoint, Component {

    /**
     * The preset every backbone declares: a small version of itself for 28 x 28 grey images that builds and runs in
     * seconds, which the test kit's {@code BackboneContract} and the framework's test of every pooling on every
     * backbone use.
     */
    String TEST_PRESET = "test";

    /**
     * Configures a backbone.
     *
     * @param params validated parameters (defaults, preset and user values applied)
     * @param input the base image shape the model is built for
     * @throws IllegalArgumentException naming a parameter that does not fit the input (e.g. patch size)
     */
    BackboneModule create(Params params, ImageShape input);
}
