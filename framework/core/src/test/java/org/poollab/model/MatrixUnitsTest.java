package org.poollab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.poollab.api.graph.Precision;

/** When AMX is asked for, and the fp32 fallback with its message everywhere else. */
class MatrixUnitsTest {

    private static final Optional<String> SAPPHIRE_RAPIDS = Optional.of("fpu sse avx2 avx512f avx512_bf16 amx_bf16 "
            + "amx_tile amx_int8");
    private static final Optional<String> ICE_LAKE = Optional.of("fpu sse avx2 avx512f avx512_vnni");

    @Test
    void theLinuxPermissionIsAskedForOnlyOnLinuxX86WithAmxBf16AndTiles() {
        assertEquals(Optional.empty(), MatrixUnits.decide("Linux", "amd64", SAPPHIRE_RAPIDS, "on"));
        assertTrue(MatrixUnits.decide("Linux", "amd64", ICE_LAKE, "on").orElseThrow().explanation()
                .contains("no AMX-BF16"));
        assertTrue(MatrixUnits.decide("Linux", "amd64", Optional.of("amx_bf16 avx2"), "on").isPresent(),
                "bf16 without the tile registers");
        assertTrue(MatrixUnits.decide("Linux", "amd64", Optional.empty(), "on").isPresent(), "cpuinfo unreadable");
        assertTrue(MatrixUnits.decide("Mac OS X", "aarch64", SAPPHIRE_RAPIDS, "on").orElseThrow().explanation()
                .contains("Linux x86-64 only"));
        assertTrue(MatrixUnits.decide("Linux", "amd64", SAPPHIRE_RAPIDS, "off").orElseThrow().explanation()
                .contains("switched off"));
        assertFalse(MatrixUnits.decide("Linux", "amd64", ICE_LAKE, "on").orElseThrow().amx());
    }

    @Test
    void withoutAmxBf16MatmulFallsBackToFp32AndSaysWhy() {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream messages = new PrintStream(said, true, StandardCharsets.UTF_8);
        MatrixUnits.Status none = new MatrixUnits.Status(false, "this CPU has no AMX-BF16");
        assertEquals(Precision.FP32, MatrixUnits.effective(Precision.BF16_MATMUL, none, messages));
        String message = said.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("trainer.precision is bf16-matmul") && message.contains("no AMX-BF16")
                && message.contains("training in fp32"), message);

        said.reset();
        MatrixUnits.Status amx = new MatrixUnits.Status(true, "bf16 matrix products run on AMX");
        assertEquals(Precision.BF16_MATMUL, MatrixUnits.effective(Precision.BF16_MATMUL, amx, messages));
        assertEquals(Precision.FP32, MatrixUnits.effective(Precision.FP32, none, messages));
        assertEquals("", said.toString(StandardCharsets.UTF_8), "nothing to say when nothing changes");
    }
}
