package org.poollab.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real one-node Slurm cluster on this machine, started once per test class and stopped after it: Debian's
 * {@code munged}, {@code slurmctld} and {@code slurmd} (packages {@code munge} and {@code slurm-wlm}, which
 * {@code .ci/run} installs), run as root in the foreground from a generated {@code slurm.conf} in a temporary
 * folder, on free ports, with their own munge key and socket. Only the daemons started here are stopped. Commands
 * reach it through {@code SLURM_CONF} ({@link #confFile}). Its default partition is this machine; a second one,
 * {@value #FAR_PARTITION}, holds a node that is another machine and is never up.
 */
public final class SlurmClusterExtension implements BeforeAllCallback, AfterAllCallback {

    /** A partition whose one node is another machine, which is never started. */
    static final String FAR_PARTITION = "far";
    /** That node. */
    static final String FAR_NODE = "far-node";

    private final List<Process> daemons = new ArrayList<>();
    private Path folder;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        for (String daemon : List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd")) {
            assertTrue(Files.isExecutable(Path.of(daemon)), daemon + " is missing: apt-get install slurm-wlm munge "
                    + "(.ci/run does)");
        }
        folder = Files.createTempDirectory("poollab-slurm-it");
        Files.createDirectories(folder.resolve("state"));
        Files.createDirectories(folder.resolve("spool"));
        Path key = folder.resolve("munge.key");
        byte[] secret = new byte[1024];
        new SecureRandom().nextBytes(secret);
        Files.write(key, secret);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(confFile(), conf(InetAddress.getLocalHost().getHostName()));
        start("munged", "--foreground", "--force", "--key-file=" + key, "--socket=" + socket(),
                "--pid-file=" + folder.resolve("munged.pid"), "--log-file=" + folder.resolve("munged.log"),
                "--seed-file=" + folder.resolve("munged.seed"));
        awaitFile(socket());
        start("slurmctld", "-D", "-i");
        start("slurmd", "-D");
        awaitIdleNode();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process daemon = daemons.get(i);
            daemon.destroy();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** The cluster's {@code slurm.conf}: give it to every Slurm command as {@code SLURM_CONF}. */
    Path confFile() {
        return folder.resolve("slurm.conf");
    }

    private Path socket() {
        return folder.resolve("munge.socket");
    }

    private String conf(String host) throws IOException {
        int cpus = Runtime.getRuntime().availableProcessors();
        return String.join("\n",
                "ClusterName=poollabit",
                "SlurmctldHost=" + host,
                "SlurmUser=root",
                "SlurmdUser=root",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "AuthType=auth/munge",
                "AuthInfo=socket=" + socket(),
                "CredType=cred/munge",
                "StateSaveLocation=" + folder.resolve("state"),
                "SlurmdSpoolDir=" + folder.resolve("spool"),
                "SlurmctldPidFile=" + folder.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + folder.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + folder.resolve("slurmctld.log"),
                "SlurmdLogFile=" + folder.resolve("slurmd.log"),
                // linuxproc and task/none: no cgroups, which a container need not offer.
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "ReturnToService=2",
                "MpiDefault=none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "NodeName=" + host + " CPUs=" + cpus + " State=UNKNOWN",
                // A node that is not this machine (never started): a sweep sent to its partition needs a tracking
                // server other nodes can reach.
                "NodeName=" + FAR_NODE + " NodeAddr=127.0.0.2 CPUs=1 State=DOWN Reason=not-started",
                "PartitionName=debug Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP",
                "PartitionName=" + FAR_PARTITION + " Nodes=" + FAR_NODE + " MaxTime=INFINITE State=UP", "");
    }

    private void start(String daemon, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/" + daemon));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve(daemon + ".out").toFile());
        builder.environment().put("SLURM_CONF", confFile().toString());
        daemons.add(builder.start());
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(file), file + " did not appear");
    }

    private void awaitIdleNode() throws Exception {
        String state = "";
        for (int i = 0; i < 120; i++) {
            ProcessBuilder builder = new ProcessBuilder("sinfo", "-h", "-p", "debug", "-o", "%T")
                    .redirectErrorStream(true);
            builder.environment().put("SLURM_CONF", confFile().toString());
            Process sinfo = builder.start();
            state = new String(sinfo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            sinfo.waitFor();
            if (state.equals("idle")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the Slurm node did not become idle in 30 s (sinfo: " + state + "); see the logs in "
                + folder);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
