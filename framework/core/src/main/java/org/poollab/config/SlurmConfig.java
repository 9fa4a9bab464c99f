package org.poollab.config;

import java.util.List;
import java.util.Optional;

/**
 * How each task of a sweep's Slurm job array asks for resources ({@code executor.slurm}); every field left out is
 * left to the cluster's defaults.
 *
 * @param partition {@code --partition}
 * @param cpusPerTask {@code --cpus-per-task}, also the task's {@code OMP_NUM_THREADS}
 * @param mem {@code --mem}, e.g. {@code 8G}
 * @param time {@code --time}, e.g. {@code 02:00:00}
 * @param gres {@code --gres}, e.g. {@code gpu:1}
 * @param maxParallel how many tasks of the array run at once ({@code --array=0-(n-1)%K})
 * @param extra further {@code sbatch} options, each one word such as {@code --qos=long}
 */
public record SlurmConfig(Optional<String> partition, Optional<Integer> cpusPerTask, Optional<String> mem,
                          Optional<String> time, Optional<String> gres, Optional<Integer> maxParallel,
                          List<String> extra) {

    /** Copies the list. */
    public SlurmConfig {
        extra = List.copyOf(extra);
    }

    /** Nothing asked for: the cluster's defaults. */
    public static SlurmConfig defaults() {
        return new SlurmConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
    }
}
