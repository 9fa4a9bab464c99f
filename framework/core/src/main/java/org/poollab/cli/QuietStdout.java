package org.poollab.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Standard output without SameDiff's per-op debug lines; everything else passes through line by line. */
final class QuietStdout extends PrintStream {

    QuietStdout(PrintStream target) {
        super(new LineFilter(target), true, StandardCharsets.UTF_8);
    }

    private static final class LineFilter extends OutputStream {

        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void flush() {
            if (line.size() > 0 && !line.toString(StandardCharsets.UTF_8).startsWith("Added differentiated op")) {
                emit();
            }
            target.flush();
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (!text.startsWith("Added differentiated op")) {
                target.print(text);
            }
        }
    }
}
