package org.poollab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's help renders cleanly: picocli warns on stderr when a description is not a valid format. */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        CommandLine root = new CommandLine(new PoolLab());
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        StringBuilder help = new StringBuilder(root.getUsageMessage());
        try {
            for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
                help.append(sub.getValue().getUsageMessage());
            }
        } finally {
            System.setErr(stderr);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertTrue(warnings.isEmpty(), "picocli complained while rendering help: " + warnings);
        assertTrue(help.toString().contains("60%-mass region"), "the attention command's '%' is printed as text");
        assertFalse(help.toString().contains("%n"), "format escapes leaked into the help text");
    }

    @Test
    void helpOptionAndHelpCommandPrintEachCommandsUsage() {
        for (String command : new CommandLine(new PoolLab()).getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            for (String[] args : new String[][] {{command, "--help"}, {command, "-h"}, {"help", command}}) {
                StringWriter out = new StringWriter();
                int code = new CommandLine(new PoolLab()).setOut(new PrintWriter(out, true)).execute(args);
                assertEquals(0, code, String.join(" ", args) + " exit code");
                assertTrue(out.toString().startsWith("Usage: poollab " + command),
                        String.join(" ", args) + " printed: " + out);
            }
        }
    }
}
