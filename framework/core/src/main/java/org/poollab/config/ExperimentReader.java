package org.poollab.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.poollab.api.graph.Precision;

/** Turns a parsed experiment file into a validated {@link ExperimentConfig}; all defaults live here. */
final class ExperimentReader {

    static final String DEFAULT_DATA_PATH = "/usr/share/datasets/fashion-mnist";
    private static final int FASHION_MNIST_SIZE = 28;
    /** fashion-clutter's default side: room for a scaled object among clutter at a CPU-friendly size. */
    private static final int CLUTTER_SIZE = 64;
    /** A few bad files in a large folder are skipped; more than 1 % means a broken copy. */
    private static final double UNREADABLE_LIMIT = 0.01;
    /** torchvision's RandomResizedCrop scale floor. */
    private static final double DEFAULT_CROP_SCALE = 0.08;
    /** DINO's k-NN evaluation: Resize(256) then CenterCrop(224). */
    private static final double DINO_EVAL_RESIZE = 256.0 / 224;
    private static final int MAX_WORKERS = 64;
    private static final int DEFAULT_CACHE_MB = 256;

    private ExperimentReader() {
    }

    static ExperimentConfig read(Object parsed) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        ConfigNode root = ConfigNode.root(parsed, resolved);
        String experiment = root.requiredString("experiment", "quickstart");
        long seed = root.longValue("seed", 0);
        DataConfig data = data(root.section("data"));
        ComponentConfig backbone = component(root.section("backbone"), "vit");
        ComponentConfig pooling = component(root.section("pooling"), "simpool");
        TrainerConfig trainer = trainer(root.section("trainer"), backbone.id());
        EvalConfig eval = eval(root.section("eval"));
        TrackingConfig tracking = tracking(root.section("tracking"));
        Optional<SlurmConfig> slurm = Optional.ofNullable(root.optionalSection("executor"))
                .map(ExperimentReader::executor);
        root.rejectUnknownKeys();
        return new ExperimentConfig(experiment, seed, data, backbone, pooling, trainer, eval, tracking, slurm,
                resolved);
    }

    private static DataConfig data(ConfigNode node) {
        String dataset = node.choice("dataset", DataConfig.FASHION_MNIST,
                List.of(DataConfig.FASHION_MNIST, DataConfig.FASHION_CLUTTER, DataConfig.IMAGE_FOLDER));
        boolean folder = dataset.equals(DataConfig.IMAGE_FOLDER);
        boolean clutter = dataset.equals(DataConfig.FASHION_CLUTTER);
        Path path = Path.of(folder ? node.requiredString("path", "/data/my-images (holding train/ and test/)")
                : node.string("path", DEFAULT_DATA_PATH));
        int imageSize = node.integer("imageSize", clutter ? CLUTTER_SIZE : FASHION_MNIST_SIZE, 4, 1024);
        if (!folder && !clutter && imageSize != FASHION_MNIST_SIZE) {
            throw node.problem("imageSize", "applies to datasets " + DataConfig.IMAGE_FOLDER + " and "
                    + DataConfig.FASHION_CLUTTER + " only (Fashion-MNIST images are " + FASHION_MNIST_SIZE + " x "
                    + FASHION_MNIST_SIZE + "); remove it");
        }
        Integer channels = node.autoInteger("channels", List.of(1, 3));
        String masks = node.string("masks", null);
        if (masks != null && !folder) {
            throw node.problem("masks", "applies to dataset " + DataConfig.IMAGE_FOLDER + " only (Fashion-MNIST's "
                    + "objects are its non-zero pixels); remove it");
        }
        // Photographs of any size are cropped at random from the original by default (ImageNet's recipe); the
        // small fixed-size sets keep the padded crop they were tuned with.
        String trainCrop = node.choice("trainCrop", folder ? DataConfig.RESIZED_CROP : DataConfig.PAD_CROP,
                List.of(DataConfig.PAD_CROP, DataConfig.RESIZED_CROP));
        boolean resized = trainCrop.equals(DataConfig.RESIZED_CROP);
        String otherCrop = resized ? "cropPadding" : "cropScale";
        if (node.has(otherCrop)) {
            throw node.problem(otherCrop, "applies to data.trainCrop: " + (resized ? DataConfig.PAD_CROP
                    : DataConfig.RESIZED_CROP) + " only; remove it or change data.trainCrop");
        }
        List<Double> defaultScale = List.of(DEFAULT_CROP_SCALE, 1.0);
        DataConfig config = new DataConfig(dataset, path, imageSize, channels,
                masks == null ? null : Path.of(masks),
                node.number("unreadableLimit", UNREADABLE_LIMIT, 0, 1),
                node.optionalInteger("trainSubset", 1),
                node.optionalInteger("testSubset", 1),
                node.optionalNumbers("mean", 3, 0, 1),
                node.optionalNumbers("std", 3, 1e-6, 10),
                trainCrop,
                // Only the chosen crop's key is read, so the resolved experiment names no key that does not apply.
                resized ? 0 : node.integer("cropPadding", 2, 0, 16),
                resized ? node.interval("cropScale", defaultScale, 0.01, 1) : defaultScale,
                node.bool("flip", true),
                node.number("evalResize", folder ? DINO_EVAL_RESIZE : 1.0, 1, 4),
                node.autoInteger("workers", 1, MAX_WORKERS),
                node.integer("cacheMb", DEFAULT_CACHE_MB, 0, 1_000_000));
        node.rejectUnknownKeys();
        return config;
    }

    private static ComponentConfig component(ConfigNode node, String defaultId) {
        ComponentConfig config = new ComponentConfig(node.string("id", defaultId), node.string("preset", null),
                node.freeMap("params"));
        node.rejectUnknownKeys();
        return config;
    }

    private static TrainerConfig trainer(ConfigNode node, String backboneId) {
        TrainerKind kind = TrainerKind.of(node.choice("id", TrainerKind.SUPERVISED.id(), TrainerKind.ids()));
        for (Map.Entry<String, TrainerKind> section : List.of(Map.entry("labelSmoothing", TrainerKind.SUPERVISED),
                Map.entry(TrainerKind.DINO.id(), TrainerKind.DINO), Map.entry(TrainerKind.MOCOV3.id(),
                        TrainerKind.MOCOV3))) {
            if (section.getValue() != kind && node.has(section.getKey())) {
                throw node.problem(section.getKey(), "does not apply to trainer.id " + kind.id() + "; remove it");
            }
        }
        boolean selfSupervised = kind != TrainerKind.SUPERVISED;
        int epochs = node.integer("epochs", selfSupervised ? 3 : 1, 1, 10_000);
        int batchSize = node.integer("batchSize", selfSupervised ? 64 : 128, 1, 65_536);
        double smoothing = selfSupervised ? 0 : node.number("labelSmoothing", 0.1, 0, 0.99);
        OptimizerConfig optimizer = optimizer(node.section("optimizer"), kind);
        int logEvery = node.integer("logEvery", 20, 1, 1_000_000);
        Integer replicas = node.autoInteger("replicas", 1, 64);
        if (replicas != null && batchSize % replicas != 0) {
            throw node.problem("replicas", "is " + replicas + ", which does not divide trainer.batchSize " + batchSize
                    + " into equal shards: choose a divisor of it, or auto");
        }
        if (replicas != null && replicas > 1 && kind == TrainerKind.MOCOV3) {
            throw node.problem("replicas", "is " + replicas + ", but MoCo v3 trains on one replica: its heads' "
                    + "batch norms use the whole batch's statistics (the reference's SyncBatchNorm across GPUs), "
                    + "which replicas that each see a shard cannot compute; use 1 (or auto)");
        }
        Precision precision = Precision.of(node.choice("precision", Precision.FP32.id(), Precision.ids()));
        DinoConfig dinoConfig = kind == TrainerKind.DINO ? DinoSection.read(node.section(kind.id())) : null;
        MocoConfig mocoConfig = kind == TrainerKind.MOCOV3 ? MocoSection.read(node.section(kind.id()), backboneId)
                : null;
        node.rejectUnknownKeys();
        return new TrainerConfig(kind, epochs, batchSize, smoothing, optimizer, logEvery, replicas, precision,
                dinoConfig, mocoConfig);
    }

    /**
     * Defaults: supervised as the quickstart; DINO as its Fashion-MNIST preset (docs/method.md); MoCo v3 as its
     * reference's ViT recipe (lr 1.5e-4, weight decay 0.1, 40 of 300 epochs of warm-up, cosine to 0, no clipping).
     * The self-supervised learning rates are per 256 images.
     */
    private static OptimizerConfig optimizer(ConfigNode node, TrainerKind trainer) {
        boolean dino = trainer == TrainerKind.DINO;
        boolean moco = trainer == TrainerKind.MOCOV3;
        double lr = node.number("lr", dino ? 5e-4 : moco ? 1.5e-4 : 1e-3, 1e-9, 10);
        double weightDecay = node.number("weightDecay", dino ? 0.04 : moco ? 0.1 : 0.05, 0, 10);
        OptimizerConfig config = OptimizerConfig.builder()
                .lr(lr)
                .minLr(node.number("minLr", dino ? 1e-6 : moco ? 0 : 1e-5, 0, lr))
                .weightDecay(weightDecay)
                .weightDecayEnd(node.number("weightDecayEnd", dino ? 0.4 : weightDecay, 0, 10))
                .warmupFraction(node.number("warmupFraction", dino ? 0.2 : moco ? 40.0 / 300 : 0.1, 0, 1))
                .clipGrad(node.number("clipGrad", moco ? 0 : 3.0, 0, 1e6))
                .beta1(node.number("beta1", 0.9, 0, 0.999999))
                .beta2(node.number("beta2", 0.999, 0, 0.999999))
                .eps(node.number("eps", 1e-8, 1e-12, 1))
                .build();
        node.rejectUnknownKeys();
        return config;
    }

    private static EvalConfig eval(ConfigNode node) {
        ConfigNode knn = node.section("knn");
        List<Integer> k = knn.integerList("k", List.of(10, 20, 100, 200), 1);
        double temperature = knn.number("temperature", 0.07, 1e-4, 100);
        knn.rejectUnknownKeys();
        EvalConfig config = new EvalConfig(k, temperature,
                node.integer("everyEpochs", 1, 1, 10_000),
                node.integer("batchSize", 500, 1, 65_536),
                node.integer("memoryBudgetMb", 256, 1, 65_536),
                Optional.ofNullable(node.optionalSection("linear")).map(ExperimentReader::linearProbe));
        node.rejectUnknownKeys();
        return config;
    }

    /**
     * Defaults suit cached features of a few hundred dimensions: AdamW converges in tens of epochs where DINO's
     * SGD (lr 0.001 x batch / 256) needs its 100.
     */
    private static LinearProbeConfig linearProbe(ConfigNode node) {
        LinearProbeConfig config = new LinearProbeConfig(
                node.integer("epochs", 30, 1, 10_000),
                node.integer("batchSize", 256, 1, 65_536),
                node.number("lr", 1e-3, 1e-9, 100),
                node.number("weightDecay", 0, 0, 10),
                node.choice("optimizer", LinearProbeConfig.ADAMW,
                        List.of(LinearProbeConfig.ADAMW, LinearProbeConfig.SGD)));
        node.rejectUnknownKeys();
        return config;
    }

    /** {@code executor: {slurm: {...}}}: where a sweep's points run when {@code --executor slurm} is given. */
    private static SlurmConfig executor(ConfigNode node) {
        ConfigNode slurm = node.section("slurm");
        SlurmConfig config = new SlurmConfig(
                Optional.ofNullable(slurm.string("partition", null)),
                Optional.ofNullable(slurm.optionalInteger("cpusPerTask", 1)),
                Optional.ofNullable(slurm.string("mem", null)),
                Optional.ofNullable(slurm.string("time", null)),
                Optional.ofNullable(slurm.string("gres", null)),
                Optional.ofNullable(slurm.optionalInteger("maxParallel", 1)),
                slurm.stringList("extra"));
        slurm.rejectUnknownKeys();
        node.rejectUnknownKeys();
        return config;
    }

    private static TrackingConfig tracking(ConfigNode node) {
        TrackingConfig config = new TrackingConfig(node.string("uri", null), node.string("runName", null));
        node.rejectUnknownKeys();
        return config;
    }
}
