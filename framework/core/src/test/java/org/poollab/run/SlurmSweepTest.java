package org.poollab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which tracking servers the nodes of a cluster can reach: a loopback one only from this machine. */
class SlurmSweepTest {

    @Test
    void loopbackServersAreTheLocalOnes() {
        assertTrue(SlurmSweep.loopback("http://127.0.0.1:5000"));
        assertTrue(SlurmSweep.loopback("http://localhost:5000"));
        assertTrue(SlurmSweep.loopback("http://[::1]:5000"));
        assertFalse(SlurmSweep.loopback("http://mlflow.lab.example:5000"));
        assertFalse(SlurmSweep.loopback("http://10.0.0.7:5000"));
    }

    @Test
    void theNodesOtherThanThisMachineAreNamedWithOrWithoutItsDomain() {
        assertEquals(List.of(), SlurmSweep.otherNodes(List.of("vm"), "vm"));
        assertEquals(List.of(), SlurmSweep.otherNodes(List.of("vm"), "vm.lab.example"));
        assertEquals(List.of("gpu01", "gpu02"), SlurmSweep.otherNodes(List.of("vm", "gpu01", "gpu02"), "vm"));
    }

    @Test
    void thePartitionIsReadFromTheSbatchOptionsInEachSpellingTheLastWinning() {
        assertEquals(Optional.empty(), SlurmSweep.partition(List.of("--mem=4G")));
        assertEquals(Optional.of("gpu"), SlurmSweep.partition(List.of("--partition=gpu")));
        assertEquals(Optional.of("gpu"), SlurmSweep.partition(List.of("--partition", "gpu", "--time=1:00:00")));
        assertEquals(Optional.of("gpu"), SlurmSweep.partition(List.of("-p", "gpu")));
        assertEquals(Optional.of("gpu"), SlurmSweep.partition(List.of("-pgpu")));
        assertEquals(Optional.of("long"), SlurmSweep.partition(List.of("-p", "gpu", "--partition=long")));
    }
}
