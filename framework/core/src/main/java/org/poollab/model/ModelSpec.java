package org.poollab.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.poollab.api.backbone.Backbone;
import org.poollab.api.backbone.BackboneModule;
import org.poollab.api.backbone.ImageShape;
import org.poollab.api.param.ParamException;
import org.poollab.api.param.Params;
import org.poollab.api.pooling.Pooling;
import org.poollab.api.pooling.PoolingModule;
import org.poollab.config.ComponentConfig;
import org.poollab.config.ConfigException;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataSource;
import org.poollab.plugin.ComponentRegistry;
import org.poollab.plugin.PluginFailureException;
import org.poollab.plugin.Registered;
import org.poollab.plugin.UnknownComponentException;

/**
 * The configured backbone and pooling of an experiment, with their resolved parameters.
 *
 * @param backboneId the backbone's id
 * @param backboneParams its resolved parameters
 * @param backbone the configured backbone
 * @param poolingId the pooling's id
 * @param poolingParams its resolved parameters
 * @param pooling the configured pooling
 * @param input the image shape
 */
public record ModelSpec(String backboneId, Params backboneParams, BackboneModule backbone, String poolingId,
                        Params poolingParams, PoolingModule pooling, ImageShape input) {

    /**
     * Resolves an experiment's backbone and pooling for its data's image shape.
     *
     * @throws ConfigException naming the field at fault (see the other {@code resolve})
     * @throws PluginFailureException if a plugin's {@code create()} throws anything but a parameter error
     */
    public static ModelSpec resolve(ComponentRegistry registry, ExperimentConfig config) {
        return resolve(registry, config.backbone(), config.pooling(), DataSource.inputShape(config.data()));
    }

    /**
     * Resolves both components from the registry and validates their parameters.
     *
     * @throws ConfigException naming {@code backbone.params.x} / {@code pooling.params.x}, an unknown preset, or
     *                         an unknown id with the available ones
     * @throws PluginFailureException if a plugin's {@code create()} throws anything but a parameter error
     */
    public static ModelSpec resolve(ComponentRegistry registry, ComponentConfig backboneConfig,
                                    ComponentConfig poolingConfig, ImageShape input) {
        Registered<Backbone> backbonePlugin = lookup(() -> registry.registeredBackbone(backboneConfig.id()),
                "backbone.id");
        Registered<Pooling> poolingPlugin = lookup(() -> registry.registeredPooling(poolingConfig.id()), "pooling.id");
        Backbone backbone = backbonePlugin.component();
        Pooling pooling = poolingPlugin.component();
        Params backboneParams = params("backbone", backbone, backboneConfig);
        Params poolingParams = params("pooling", pooling, poolingConfig);
        BackboneModule backboneModule = create(backbonePlugin, () -> backbone.create(backboneParams, input));
        PoolingModule poolingModule = create(poolingPlugin,
                () -> pooling.create(poolingParams, backboneModule.featureDim()));
        return new ModelSpec(backbone.id(), backboneParams, backboneModule, pooling.id(), poolingParams,
                poolingModule, input);
    }

    /** The width of the model's features: the pooling's output for the backbone's tokens. */
    public int featureDim() {
        return pooling.outputDim(backbone.featureDim());
    }

    /**
     * Resolved parameters of both components as {@code backbone.params.x} / {@code pooling.params.x}, each written
     * as a setting reads it back ({@code none} for no value).
     */
    public Map<String, String> flattenedParams() {
        Map<String, String> out = new LinkedHashMap<>();
        backboneParams.asMap().forEach((k, v) -> out.put("backbone.params." + k, setting(v)));
        poolingParams.asMap().forEach((k, v) -> out.put("pooling.params." + k, setting(v)));
        return out;
    }

    private static String setting(Object value) {
        return value == null ? "none" : String.valueOf(value);
    }

    private static <T> T lookup(Supplier<T> find, String path) {
        try {
            return find.get();
        } catch (UnknownComponentException e) {
            throw new ConfigException(path, e.getMessage());
        }
    }

    private static Params params(String section, org.poollab.api.Component component, ComponentConfig config) {
        Map<String, Object> preset = Map.of();
        if (config.preset() != null) {
            preset = component.presets().get(config.preset());
            if (preset == null) {
                throw new ConfigException(section + ".preset", "is '" + config.preset() + "' but " + section + " '"
                        + component.id() + "' has the presets " + component.presets().keySet());
            }
        }
        try {
            return Params.resolve(component.parameters(), preset, config.params());
        } catch (ParamException e) {
            throw new ConfigException(section + ".params." + e.parameter(), e.getMessage());
        }
    }

    /**
     * Runs a plugin's {@code create()}: a rejected parameter is the experiment's fault (named as its field), anything
     * else the plugin threw is the plugin's (named with its jar).
     */
    private static <T> T create(Registered<?> plugin, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (ParamException e) {
            throw new ConfigException(plugin.kind() + ".params." + e.parameter(), e.getMessage());
        } catch (RuntimeException e) {
            throw new PluginFailureException(plugin, "create()", e);
        }
    }
}
