package org.poollab.console;

import java.io.PrintStream;
import java.util.Locale;

/** One self-updating console line per phase (an epoch, a feature extraction): steps, details, images/s, ETA. */
public final class ProgressBar {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private long lastPrint;

    /**
     * @param out where to print (stderr, so stdout stays for results)
     * @param label e.g. "epoch 1/3"
     * @param total steps in the epoch
     */
    public ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /**
     * Redraws the line at most twice a second, and always for the last step.
     *
     * @param done steps done
     * @param images images processed so far
     * @param details e.g. "loss 2.1034 lr 1.00e-03", or empty
     */
    public void update(int done, long images, String details) {
        long now = System.nanoTime();
        if (done < total && now - lastPrint < 500_000_000L) {
            return;
        }
        lastPrint = now;
        double seconds = Math.max((now - start) / 1e9, 1e-9);
        double rate = images / seconds;
        long eta = done == 0 ? 0 : Math.round(seconds / done * (total - done));
        int filled = (int) ((long) WIDTH * done / total);
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d %s%.0f img/s ETA %d:%02d ", label,
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, details.isEmpty() ? "" : details + " ",
                rate, eta / 60, eta % 60));
        if (done == total) {
            out.println();
        }
        out.flush();
    }
}
