package org.poollab.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.poollab.config.SlurmConfig;

/** The job array's batch script: its directives, and words that bash reads back unchanged. */
class BatchScriptTest {

    @Test
    void directivesFollowTheResourcesAndTheCommandEndsWithTheTaskIndex() {
        SlurmConfig resources = new SlurmConfig(Optional.of("gpu"), Optional.of(4), Optional.of("16G"),
                Optional.of("02:00:00"), Optional.of("gpu:1"), Optional.of(3), List.of("--qos=long"));
        String text = new BatchScript("poollab-e", List.of(0, 1, 2, 3, 4), resources, Map.of("MLFLOW_TRACKING_URI", "http://m:5000"),
                "/lab/project", "/lab/logs/p-%a.log", List.of("java", "-cp", "a:b", "Main", "--sweep-point")).text();
        for (String line : List.of("#SBATCH --array=0-4%3", "#SBATCH --partition=gpu", "#SBATCH --cpus-per-task=4",
                "#SBATCH --mem=16G", "#SBATCH --time=02:00:00", "#SBATCH --gres=gpu:1", "#SBATCH --qos=long",
                "#SBATCH --output=/lab/logs/p-%a.log", "#SBATCH --requeue", "export MLFLOW_TRACKING_URI='http://m:5000'",
                "cd '/lab/project'", "#SBATCH --signal=B:USR1@120", "trap requeue USR1",
                "'java' '-cp' 'a:b' 'Main' '--sweep-point' \"$SLURM_ARRAY_TASK_ID\" &")) {
            assertTrue(text.lines().anyMatch(line::equals), line + " in\n" + text);
        }
        assertTrue(text.startsWith("#!/bin/bash\n"));
        int lastDirective = text.lastIndexOf("#SBATCH");
        assertTrue(lastDirective < text.indexOf("set -e"), "sbatch reads directives only before the first command");
    }

    @Test
    void theTasksOfAResumedSweepAreWrittenAsRanges() {
        assertEquals("0-4", BatchScript.ranges(List.of(0, 1, 2, 3, 4)));
        assertEquals("1,3-5,8", BatchScript.ranges(List.of(1, 3, 4, 5, 8)));
        assertEquals("2", BatchScript.ranges(List.of(2)));
    }

    @Test
    void aWordWithQuotesAndSpacesIsQuotedForBash() {
        assertEquals("'it'\\''s a b'", BatchScript.quote("it's a b"));
        assertEquals("'$HOME'", BatchScript.quote("$HOME"), "no expansion");
    }
}
