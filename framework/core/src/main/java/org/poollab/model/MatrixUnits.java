package org.poollab.model;

import com.sun.jna.Function;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.poollab.api.graph.Precision;

/**
 * Whether this process runs bfloat16 matrix products on the CPU's AMX units, and the start-up step that lets it.
 * ND4J's bundled oneDNN (2.3) has AMX kernels but uses them only when {@code DNNL_MAX_CPU_ISA} allows it, and Linux
 * lets a process execute AMX instructions only after it asks ({@code arch_prctl(ARCH_REQ_XCOMP_PERM,
 * XFEATURE_XTILEDATA)}, Linux 5.16 and later); with the variable alone the JVM dies of SIGILL at the first bf16
 * product. {@link #enable} makes the call through JNA and then sets the variable in the process environment, so it
 * must run before oneDNN's first primitive (oneDNN reads the variable once); the CLI calls it first thing. fp32
 * products are unaffected: oneDNN picks the same fp32 kernels either way (checked with {@code DNNL_VERBOSE}).
 */
public final class MatrixUnits {

    /** Set to {@code off} to keep AMX off (e.g. to measure without it, or to see the fp32 fallback). */
    public static final String SWITCH_PROPERTY = "poollab.amx";

    private static final long SYS_ARCH_PRCTL = 158; // x86-64
    private static final long ARCH_REQ_XCOMP_PERM = 0x1023;
    private static final long XFEATURE_XTILEDATA = 18;
    private static final String ISA_VARIABLE = "DNNL_MAX_CPU_ISA";
    private static final String AMX_ISA = "AVX512_CORE_AMX";

    private static Status status;
    private static final AtomicBoolean FALLBACK_TOLD = new AtomicBoolean();

    /**
     * What this process can do.
     *
     * @param amx whether bf16 products run on AMX
     * @param explanation one sentence: what was found, or why AMX is off
     */
    public record Status(boolean amx, String explanation) {
    }

    private MatrixUnits() {
    }

    /**
     * Asks Linux for AMX permission and lets oneDNN use AMX, where the CPU has it; once per process (later calls
     * return the first answer). Call before ND4J runs its first operation.
     */
    public static synchronized Status enable() {
        if (status == null) {
            status = decide(System.getProperty("os.name"), System.getProperty("os.arch"), cpuFlags(),
                    System.getProperty(SWITCH_PROPERTY, "on"))
                    .orElseGet(MatrixUnits::requestPermission);
        }
        return status;
    }

    /**
     * The reason AMX cannot be used here, if there is one, from what the system says of itself.
     *
     * @param osName {@code os.name}
     * @param osArch {@code os.arch}
     * @param cpuFlags the {@code flags} of {@code /proc/cpuinfo}, or empty where unreadable
     * @param switchValue {@value #SWITCH_PROPERTY}: {@code off} refuses
     * @return a status without AMX and its reason, or empty when the permission should be asked for
     */
    static Optional<Status> decide(String osName, String osArch, Optional<String> cpuFlags, String switchValue) {
        if ("off".equalsIgnoreCase(switchValue)) {
            return Optional.of(new Status(false, "AMX is switched off (-D" + SWITCH_PROPERTY + "=off)"));
        }
        if (!"Linux".equals(osName) || !("amd64".equals(osArch) || "x86_64".equals(osArch))) {
            return Optional.of(new Status(false, "AMX is used on Linux x86-64 only; this is " + osName + " "
                    + osArch));
        }
        String flags = " " + cpuFlags.orElse("") + " ";
        if (!flags.contains(" amx_bf16 ") || !flags.contains(" amx_tile ")) {
            return Optional.of(new Status(false, "this CPU has no AMX-BF16 (no amx_bf16 and amx_tile in "
                    + "/proc/cpuinfo; Intel Xeon 4th generation, Sapphire Rapids, and later have it)"));
        }
        return Optional.empty();
    }

    /**
     * The precision to build graphs with: {@code requested}, or fp32 where bf16 products cannot run on AMX (said
     * once per process on stderr).
     */
    public static Precision effective(Precision requested) {
        if (requested == Precision.FP32) {
            return requested;
        }
        return effective(requested, enable(), FALLBACK_TOLD.compareAndSet(false, true) ? System.err : null);
    }

    /**
     * {@link #effective(Precision)} for a given status.
     *
     * @param messages where to explain a fallback, or {@code null} to say nothing
     */
    static Precision effective(Precision requested, Status status, PrintStream messages) {
        if (requested == Precision.FP32 || status.amx()) {
            return requested;
        }
        if (messages != null) {
            messages.println("poollab: trainer.precision is " + requested.id() + ", but " + status.explanation()
                    + "; training in fp32 instead (without AMX, bf16 products are slower than fp32 ones)");
        }
        return Precision.FP32;
    }

    private static Status requestPermission() {
        Function syscall = Function.getFunction("c", "syscall");
        long result = syscall.invokeLong(new Object[] {SYS_ARCH_PRCTL, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA});
        if (result != 0) {
            return new Status(false, String.format(Locale.ROOT, "Linux refused AMX to this process (arch_prctl "
                    + "ARCH_REQ_XCOMP_PERM: errno %d; the kernel needs 5.16 or later)", Native.getLastError()));
        }
        String chosen = System.getenv(ISA_VARIABLE); // Java's copy of the environment at start-up
        if (chosen != null) {
            boolean amx = chosen.toUpperCase(Locale.ROOT).contains("AMX");
            return new Status(amx, ISA_VARIABLE + "=" + chosen + " is set in the environment"
                    + (amx ? "" : " and keeps oneDNN off AMX; unset it to use AMX"));
        }
        Function.getFunction("c", "setenv").invokeInt(new Object[] {ISA_VARIABLE, AMX_ISA, 1});
        return new Status(true, "bf16 matrix products run on AMX (oneDNN " + AMX_ISA.toLowerCase(Locale.ROOT) + ")");
    }

    private static Optional<String> cpuFlags() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("flags"))
                    .findFirst().map(line -> line.substring(line.indexOf(':') + 1).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
