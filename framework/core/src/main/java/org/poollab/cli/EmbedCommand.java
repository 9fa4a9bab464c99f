package org.poollab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.poollab.config.ExperimentConfig;
import org.poollab.data.DataException;
import org.poollab.data.DecodedCache;
import org.poollab.data.ImageFolder;
import org.poollab.data.Preprocessing;
import org.poollab.data.StreamedImages;
import org.poollab.eval.FeatureExtractor;
import org.poollab.interop.Npy;
import org.poollab.run.CheckpointModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code poollab embed --checkpoint F --images DIR --out FILE.npy [--maps FILE.npy]}. */
@Command(name = "embed", description = "Compute the features [N, d] (and optionally the attention maps [N, tokens]) "
        + "of every image under a folder with the checkpoint's evaluation transform, as float32 .npy files whose "
        + "rows follow the sorted file paths.")
final class EmbedCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    CheckpointSource source;

    @Option(names = "--images", paramLabel = "DIR", required = true, description = "the folder of images (any "
            + "sub-folders)")
    Path images;

    @Option(names = "--out", paramLabel = "NPY", required = true, description = "the features file to write")
    Path out;

    @Option(names = "--maps", paramLabel = "NPY", description = "also write the attention maps here")
    Path maps;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        try (Environment environment = new Environment()) {
            CheckpointModel loaded = CheckpointModel.load(environment.registry, source.file(), List.of());
            ExperimentConfig config = loaded.config();
            if (maps != null && loaded.model().attention().isEmpty()) {
                throw new DataException("pooling '" + config.pooling().id() + "' has no attention map; drop --maps");
            }
            int channels = loaded.spec().input().channels();
            StreamedImages set = ImageFolder.everyImageUnder(images, channels,
                    new DecodedCache(config.data().cacheMb() * 1024L * 1024L), System.err);
            FeatureExtractor.Features features = new FeatureExtractor(config.eval().batchSize(), System.err)
                    .extract(loaded.model(), set, Preprocessing.of(config.data(), channels, false), "images",
                            maps != null);
            Npy.write(out, features.features());
            System.out.printf("written: %s [%d, %d]%n", out, set.size(), loaded.model().featureDim());
            if (maps != null) {
                Npy.write(maps, features.maps().orElseThrow());
                System.out.printf("written: %s [%d, %d]%n", maps, set.size(), loaded.model().grid().tokens());
            }
        }
        return 0;
    }
}
