package org.poollab.tracking;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The tracking calls of one run, written down before they are sent: each call is appended as one JSON line to
 * {@code <run id>.jsonl} (the REST request it becomes, or the file to upload), then a background thread sends the
 * calls in order, retrying with back-off for as long as the server is away. Training never waits for MLflow.
 * {@code <run id>.shipped} holds the sequence number of the last call the server accepted, so whatever did not
 * reach it stays on disk ({@code poollab mlflow sync} sends it later).
 */
final class TrackingJournal implements AutoCloseable {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Failed attempts (about 2 s) before an outage is reported: single dropped connections are normal. */
    private static final int OUTAGE_ATTEMPTS = 4;

    /** One journalled call: a REST POST, or an artifact upload. */
    record Call(long sequence, String post, String body, Path file, String artifactPath) {

        /** The journal line. */
        String line() {
            return post != null
                    ? "{\"seq\":" + sequence + ",\"post\":" + Json.string(post) + ",\"body\":" + body + "}"
                    : "{\"seq\":" + sequence + ",\"upload\":" + Json.string(artifactPath) + ",\"file\":"
                    + Json.string(file.toAbsolutePath().toString()) + "}";
        }
    }

    private final String trackingUri;
    private final String artifactUri;
    private final Path journal;
    private final Path shipped;
    private final PrintStream warnings;
    private final Writer writer;
    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private final Object progress = new Object();
    private long submitted;
    private long delivered;
    private volatile boolean closed;

    /**
     * @param folder where the journal files go
     * @param runId names the files
     * @param artifactUri the run's artifact root (for uploads)
     * @param warnings where outages and refused calls are reported (stderr)
     */
    TrackingJournal(Path folder, String runId, String trackingUri, String artifactUri, PrintStream warnings) {
        this.trackingUri = trackingUri;
        this.artifactUri = artifactUri;
        this.journal = folder.resolve(runId + ".jsonl");
        this.shipped = folder.resolve(runId + ".shipped");
        this.warnings = warnings;
        try {
            Files.createDirectories(folder);
            this.writer = Files.newBufferedWriter(journal, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            this.delivered = Files.isRegularFile(shipped) ? Long.parseLong(Files.readString(shipped).trim()) : 0;
            this.submitted = delivered;
            for (Call earlier : unsent()) { // an earlier attempt of this run (before a crash or resume)
                queue.add(earlier);
                submitted = earlier.sequence();
            }
        } catch (IOException e) {
            throw new TrackingException("cannot write the tracking journal " + journal + " (" + e.getMessage()
                    + "); make POOLLAB_HOME writable", e);
        }
        this.sender = new Thread(this::sendForever, "poollab-mlflow-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** The journal file. */
    Path file() {
        return journal;
    }

    /** Journals a REST POST (path and JSON body) and queues it. */
    void post(String path, String body) {
        submit(sequence -> new Call(sequence, path, body, null, null));
    }

    /** Journals an artifact upload and queues it; the file must stay where it is until it is sent. */
    void upload(Path file, String artifactPath) {
        String safe = MlflowHttp.insideRun(artifactPath);
        submit(sequence -> new Call(sequence, null, null, file, safe));
    }

    private synchronized void submit(LongFunction<Call> make) {
        if (closed) {
            throw new IllegalStateException("the tracking journal " + journal + " is closed");
        }
        Call call = make.apply(++submitted);
        try {
            writer.write(call.line());
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the tracking journal " + journal, e);
        }
        queue.add(call);
    }

    /**
     * Waits until every journalled call has been sent, or the timeout passes.
     *
     * @return the number of calls still not sent (0 when all arrived)
     */
    long drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (delivered < submittedSoFar() && System.nanoTime() < deadline) {
                progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            return submittedSoFar() - delivered;
        }
    }

    private synchronized long submittedSoFar() {
        return submitted;
    }

    /** Stops the sender; calls not sent stay in the journal. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            try {
                writer.close();
            } catch (IOException e) {
                warnings.println("poollab: cannot close the tracking journal " + journal + ": " + e.getMessage());
            }
        }
        sender.interrupt();
    }

    private void sendForever() {
        try {
            while (true) {
                Call call = queue.take();
                sendUntilAccepted(call);
                markDelivered(call.sequence());
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendUntilAccepted(Call call) throws InterruptedException {
        Duration backoff = FIRST_BACKOFF;
        boolean reportedOutage = false;
        for (int attempt = 1; ; attempt++) {
            try {
                if (call.post() != null) {
                    MlflowHttp.post(trackingUri, call.post(), call.body());
                } else {
                    MlflowHttp.upload(trackingUri, artifactUri, call.artifactPath(), call.file());
                }
                if (reportedOutage) {
                    warnings.println("poollab: MLflow at " + trackingUri + " is back; sending the journalled calls");
                }
                return;
            } catch (MlflowHttp.Rejected refused) {
                warnings.println("poollab: MLflow refused tracking call " + call.sequence() + " (kept in " + journal
                        + "): " + refused.getMessage());
                return;
            } catch (TrackingException unreachable) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                if (!reportedOutage && attempt == OUTAGE_ATTEMPTS) {
                    warnings.println("poollab: MLflow at " + trackingUri + " does not answer (" + unreachable
                            .getMessage() + "); training goes on, tracking calls wait in " + journal);
                    reportedOutage = true;
                }
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void markDelivered(long sequence) {
        try {
            Path temporary = shipped.resolveSibling(shipped.getFileName() + ".tmp");
            Files.writeString(temporary, Long.toString(sequence));
            Files.move(temporary, shipped, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            warnings.println("poollab: cannot record progress in " + shipped + ": " + e.getMessage());
        }
        synchronized (progress) {
            delivered = sequence;
            progress.notifyAll();
        }
    }

    /** The journalled calls after the last delivered one, in order. */
    private List<Call> unsent() throws IOException {
        List<Call> calls = new ArrayList<>();
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            Call call = parse(line);
            if (call.sequence() > delivered) {
                calls.add(call);
            }
        }
        if (!calls.isEmpty()) {
            warnings.println("poollab: sending " + calls.size() + " tracking calls that an earlier attempt left in "
                    + journal);
        }
        return calls;
    }

    /** Reads a line written by {@link Call#line}. */
    static Call parse(String line) {
        Json.Reader reader = new Json.Reader(line);
        reader.expect("{\"seq\":");
        long sequence = reader.number();
        if (reader.skip(",\"post\":")) {
            String post = reader.string();
            reader.expect(",\"body\":");
            return new Call(sequence, post, reader.restBeforeLastBrace(), null, null);
        }
        reader.expect(",\"upload\":");
        String artifactPath = reader.string();
        reader.expect(",\"file\":");
        return new Call(sequence, null, null, Path.of(reader.string()), artifactPath);
    }
}
