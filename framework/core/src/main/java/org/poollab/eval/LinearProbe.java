package org.poollab.eval;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.poollab.config.LinearProbeConfig;
import org.poollab.console.ProgressBar;
import org.poollab.data.ImageDataset;
import org.poollab.schedule.Schedule;

/**
 * The offline linear probe (docs/method.md §7): a linear classifier {@code logits = x W + b} trained with softmax
 * cross-entropy on frozen features that were extracted once, then scored on the test features. Unlike DINO's
 * {@code eval_linear.py}, which re-augments the images and runs the frozen network again in each of its 100 epochs,
 * this trains on cached evaluation-view features (the offline probe solo-learn also offers): minutes instead of
 * hours, a little lower than the augmented probe because it sees no augmentation.
 *
 * <p>Seeded: the weight initialisation ({@code N(0, 0.01)}, bias 0, as DINO's) and each epoch's order come from the
 * seed, so the same features and seed give the same numbers. The learning rate follows a cosine from {@code lr} to
 * 0 over all steps, per step. The gradient is the closed form of softmax cross-entropy, {@code dL/dlogits = (P - Y)
 * / B}: one matrix product each way per step.
 */
public final class LinearProbe {

    private static final double MOMENTUM = 0.9;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;
    private static final double INIT_STD = 0.01;

    private final LinearProbeConfig config;
    private final long seed;
    private final PrintStream progress;

    /**
     * @param seed sets the initialisation and the order of the training features
     * @param progress where the progress bar goes
     */
    public LinearProbe(LinearProbeConfig config, long seed, PrintStream progress) {
        this.config = config;
        this.seed = seed;
        this.progress = progress;
    }

    /**
     * Trains on the training features and scores the test features.
     *
     * @param trainFeatures {@code [Ntrain, d]}
     * @param trainLabels Ntrain labels in {@code [0, classes)}
     * @param testFeatures {@code [Ntest, d]}
     * @param testLabels Ntest labels
     * @return {@code linear_top1} and {@code linear_top5} in percent (top-5 is 100 with 5 classes or fewer)
     */
    public Map<String, Double> evaluate(INDArray trainFeatures, int[] trainLabels, INDArray testFeatures,
                                        int[] testLabels, int classes) {
        Classifier classifier = train(trainFeatures, trainLabels, classes);
        INDArray logits = classifier.logits(testFeatures.castTo(DataType.FLOAT));
        long top1 = 0;
        long top5 = 0;
        float[] row = new float[classes];
        for (int i = 0; i < testLabels.length; i++) {
            for (int c = 0; c < classes; c++) {
                row[c] = logits.getFloat(i, c);
            }
            int[] best = TopK.indices(row, 0, classes, Math.min(5, classes));
            top1 += best[0] == testLabels[i] ? 1 : 0;
            for (int candidate : best) {
                top5 += candidate == testLabels[i] ? 1 : 0;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("linear_top1", 100.0 * top1 / testLabels.length);
        metrics.put("linear_top5", 100.0 * top5 / testLabels.length);
        return metrics;
    }

    /**
     * Fits the classifier.
     *
     * @param features {@code [N, d]}
     * @param labels N labels in {@code [0, classes)}
     */
    Classifier train(INDArray features, int[] labels, int classes) {
        INDArray x = features.castTo(DataType.FLOAT);
        int n = labels.length;
        int dim = (int) x.size(1);
        SplittableRandom random = new SplittableRandom(seed);
        Classifier classifier = new Classifier(initialWeights(random, dim, classes), Nd4j.zeros(DataType.FLOAT,
                1, classes));
        Update weightUpdate = new Update(classifier.weights, true);
        Update biasUpdate = new Update(classifier.bias, false);
        int batch = Math.min(config.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        Schedule lr = Schedule.cosine(config.lr(), 0, config.epochs() * stepsPerEpoch);
        INDArray targets = oneHot(labels, classes);
        ProgressBar bar = new ProgressBar(progress, "linear probe", config.epochs());
        int step = 0;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            int[] order = ImageDataset.permutation(n, random);
            // one native gather per epoch; the batches are then contiguous row ranges (views)
            INDArray shuffled = Nd4j.pullRows(x, 1, order);
            INDArray shuffledTargets = Nd4j.pullRows(targets, 1, order);
            double lossSum = 0;
            for (int start = 0; start < n; start += batch, step++) {
                int end = Math.min(start + batch, n);
                Gradient gradient = classifier.gradient(rows(shuffled, start, end), rows(shuffledTargets, start,
                        end));
                lossSum += gradient.loss() * (end - start);
                double rate = lr.at(step);
                weightUpdate.apply(gradient.weights(), rate, step + 1);
                biasUpdate.apply(gradient.bias(), rate, step + 1);
            }
            bar.update(epoch, (long) epoch * n, String.format(Locale.ROOT, "loss %.4f", lossSum / n));
        }
        return classifier;
    }

    private static INDArray rows(INDArray matrix, int start, int end) {
        return matrix.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
    }

    /**
     * @return {@code [N, K]} with a 1 at each sample's class
     */
    static INDArray oneHot(int[] labels, int classes) {
        float[] values = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            values[i * classes + labels[i]] = 1;
        }
        return Nd4j.create(values, new long[] {labels.length, classes}, DataType.FLOAT);
    }

    private static INDArray initialWeights(SplittableRandom random, int dim, int classes) {
        float[] values = new float[dim * classes];
        Random gaussian = new Random(random.nextLong());
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (gaussian.nextGaussian() * INIT_STD);
        }
        return Nd4j.create(values, new long[] {dim, classes}, DataType.FLOAT);
    }

    /**
     * The probe's parameters.
     *
     * @param weights {@code [d, K]}
     * @param bias {@code [1, K]}
     */
    record Classifier(INDArray weights, INDArray bias) {

        /**
         * @param x {@code [B, d]}
         * @return {@code [B, K]}
         */
        INDArray logits(INDArray x) {
            return x.mmul(weights).addiRowVector(bias);
        }

        /**
         * @param x {@code [B, d]}
         * @return class probabilities {@code [B, K]}, rows summing to 1
         */
        INDArray softmax(INDArray x) {
            return Nd4j.exec(new SoftMax(logits(x)))[0]; // ND4J's native op: stable, one pass
        }

        /**
         * The mean cross-entropy of a batch and its gradient, {@code dL/dlogits = (P - Y) / B}.
         *
         * @param x {@code [B, d]}
         * @param targets {@code [B, K]}, one-hot
         */
        Gradient gradient(INDArray x, INDArray targets) {
            INDArray probabilities = softmax(x); // [B, K]
            long batch = x.size(0);
            double loss = -Transforms.log(probabilities.mul(targets).sum(1).addi(1e-30), false).sumNumber()
                    .doubleValue() / batch;
            INDArray errors = probabilities.subi(targets).divi(batch); // P - Y, over B
            return new Gradient(loss, x.transpose().mmul(errors), errors.sum(true, 0));
        }
    }

    /**
     * A batch's mean loss and its gradient.
     *
     * @param weights {@code [d, K]}
     * @param bias {@code [1, K]}
     */
    record Gradient(double loss, INDArray weights, INDArray bias) {
    }

    /** One parameter's optimiser state: SGD momentum buffer, or AdamW's two moments. */
    private final class Update {

        private final INDArray parameter;
        private final boolean decay;
        private final INDArray first;
        private final INDArray second;

        Update(INDArray parameter, boolean decay) {
            this.parameter = parameter;
            this.decay = decay;
            this.first = parameter.ulike().assign(0);
            this.second = parameter.ulike().assign(0);
        }

        /** PyTorch's SGD (coupled L2, momentum buffer) or AdamW (decoupled decay, bias-corrected moments). */
        void apply(INDArray gradient, double lr, int count) {
            double weightDecay = decay ? config.weightDecay() : 0;
            if (config.optimizer().equals(LinearProbeConfig.SGD)) {
                if (weightDecay > 0) {
                    gradient.addi(parameter.mul(weightDecay));
                }
                first.muli(MOMENTUM).addi(gradient);
                parameter.subi(first.mul(lr));
                return;
            }
            first.muli(BETA1).addi(gradient.mul(1 - BETA1));
            second.muli(BETA2).addi(gradient.mul(gradient).muli(1 - BETA2));
            INDArray denominator = Transforms.sqrt(second.div(1 - Math.pow(BETA2, count)), false).addi(ADAM_EPS);
            parameter.muli(1 - lr * weightDecay);
            parameter.subi(first.div(denominator).muli(lr / (1 - Math.pow(BETA1, count))));
        }
    }
}
