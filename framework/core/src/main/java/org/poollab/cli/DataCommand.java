package org.poollab.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.poollab.config.DataConfig;
import org.poollab.data.DataSource;
import org.poollab.data.FashionMnist;
import org.poollab.data.ImageFolderWriter;
import org.poollab.data.clutter.FashionClutter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poollab data export fashion-clutter --out DIR}: generated data sets as files other tools read. */
@Command(name = "data", description = "Generated data sets.", subcommands = DataCommand.Export.class)
final class DataCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** Writes fashion-clutter as an image folder with {@code masks/}. */
    @Command(name = "export", description = "Write fashion-clutter as an image folder (train/, test/) plus masks/, "
            + "so that the PyTorch reference and other tools read the very same images; read it back with "
            + "data: {dataset: imagefolder, path: DIR, masks: DIR/masks}.")
    static final class Export implements Callable<Integer> {

        @Parameters(index = "0", description = "the data set: " + FashionClutter.ID)
        String dataset;

        @Option(names = "--out", required = true, description = "a new or empty folder to write")
        Path out;

        @Option(names = "--train", description = "training scenes, a seeded subset (default: all 60000)")
        Integer train;

        @Option(names = "--test", description = "test scenes, a seeded subset (default: all 10000)")
        Integer test;

        @Option(names = "--size", description = "side of the scenes (default: ${DEFAULT-VALUE})")
        int size = 64;

        @Option(names = "--seed", description = "seed of the subsets, as an experiment's seed (default: 0)")
        long seed;

        @Option(names = "--fashion-mnist", description = "the Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE})")
        Path source = Path.of("/usr/share/datasets/fashion-mnist");

        @Override
        public Integer call() {
            if (!dataset.equals(FashionClutter.ID)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown data set '" + dataset
                        + "'; the one that can be exported is " + FashionClutter.ID);
            }
            if (size < 8 || size > 1024) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--size " + size
                        + " must be between 8 and 1024");
            }
            ImageFolderWriter writer = new ImageFolderWriter(out, FashionMnist.CLASS_NAMES);
            long start = System.nanoTime();
            // The same subsets and scenes as an experiment with data.trainSubset / testSubset and this seed.
            DataSource.InMemory scenes = DataSource.fashionClutter(source, size, train, test, seed, System.err);
            writer.write("train", scenes.train());
            writer.write("test", scenes.test());
            System.out.printf(Locale.ROOT, "wrote %d training and %d test scenes (%d x %d) with their masks to %s "
                    + "in %.1f s%nread them with: data: {dataset: %s, path: %s, masks: %s, imageSize: %d}%n",
                    scenes.train().size(), scenes.test().size(), size, size, out, (System.nanoTime() - start) / 1e9,
                    DataConfig.IMAGE_FOLDER, out, out.resolve(ImageFolderWriter.MASKS), size);
            return 0;
        }
    }
}
