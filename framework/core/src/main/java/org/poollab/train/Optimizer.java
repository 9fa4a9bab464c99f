package org.poollab.train;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.poollab.config.OptimizerConfig;

/**
 * Installs {@link AdamW} into a SameDiff graph's training loop. SameDiff's own fit loop is used because it applies
 * each update as soon as that gradient exists (docs/dl4j.md: 2.1x faster and leaner than calculateGradients); its
 * built-in updaters lack per-step schedules, clipping and per-parameter decay, so they are replaced one by one.
 */
final class Optimizer {

    private Optimizer() {
    }

    /**
     * @param features placeholders fed from the batch's features, in order
     * @param labels placeholders fed from the batch's labels, in order
     * @param loss the scalar loss variable
     * @param exchange averages each gradient over the replicas
     * @param replica this graph's replica
     */
    static void install(SameDiff sd, List<String> features, List<String> labels, String loss,
                        OptimizerConfig config, Schedules schedules, StepClock clock, Freeze freeze,
                        GradientExchange exchange, int replica) {
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Sgd(0.0))
                .dataSetFeatureMapping(features)
                .dataSetLabelMapping(labels)
                .build());
        initializeTraining(sd);
        @SuppressWarnings("rawtypes") // SameDiff's own map holds raw updaters
        Map<String, GradientUpdater> updaters = sd.getUpdaterMap();
        for (SDVariable variable : sd.variables()) {
            if (variable.getVariableType() == VariableType.VARIABLE) {
                // DINO's rule: no decay on biases, norms and other 1-d parameters.
                boolean decay = variable.getArr().rank() >= 2;
                updaters.put(variable.name(), new AdamW(variable.name(), variable.getArr(), decay, config,
                        schedules, clock, freeze, exchange, replica));
            }
        }
    }

    private static void initializeTraining(SameDiff sd) {
        try {
            Method initialize = SameDiff.class.getDeclaredMethod("initializeTraining");
            initialize.setAccessible(true);
            initialize.invoke(sd);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot initialise SameDiff training (ND4J version changed?)", e);
        }
    }
}
