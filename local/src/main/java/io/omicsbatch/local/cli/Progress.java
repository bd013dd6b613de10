package io.omicsbatch.local.cli;

import io.omicsbatch.batch.BatchRecord;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The run command's progress: a live bar redrawn in place on a terminal, a plain line every few seconds (and on
 * every status change) otherwise. Submitted, running, completed and failed runs, the StartRun rate against the
 * quota over the last seconds, and the time left to submit the rest at that rate.
 */
abstract class Progress {

    private static final double WINDOW_SECONDS = 5;

    private final Deque<double[]> samples = new ArrayDeque<>(); // {seconds, decided submissions}
    final double quota;

    Progress(double quota) {
        this.quota = quota;
    }

    static Progress of(String mode, PrintWriter out, double quota) {
        boolean terminal = System.console() != null;
        return switch (mode) {
            case "none" -> new Progress(quota) {
                @Override
                void show(String line, BatchRecord batch, double seconds) {}
            };
            case "bar" -> new Bar(out, quota);
            case "lines" -> new Lines(out, quota);
            default -> terminal ? new Bar(out, quota) : new Lines(out, quota);
        };
    }

    final void update(BatchRecord batch, double seconds) {
        long decided = batch.count("successfulStartSubmissionCount") + batch.count("failedStartSubmissionCount");
        samples.addLast(new double[] {seconds, decided});
        while (samples.size() > 2 && samples.peekFirst()[0] < seconds - WINDOW_SECONDS) {
            samples.removeFirst();
        }
        double[] first = samples.peekFirst();
        double span = seconds - first[0];
        double rate = span > 0.5 ? (decided - first[1]) / span : 0;
        show(line(batch, decided, rate), batch, seconds);
    }

    String line(BatchRecord batch, long decided, double rate) {
        long total = batch.totalRuns() == null ? 0 : batch.totalRuns();
        long running = batch.count("startingRunCount") + batch.count("runningRunCount") + batch.count("stoppingRunCount");
        long failed = batch.count("failedRunCount") + batch.count("failedStartSubmissionCount");
        long pending = total - decided;
        String eta = rate > 0 && pending > 0 ? duration(pending / rate) : "-";
        return String.format(Locale.ROOT, "%-10s submitted %d/%d  running %d  completed %d  failed %d  "
                        + "StartRun %.1f/s of %s/s  ETA %s",
                batch.status(), decided, total, running, batch.count("completedRunCount"), failed, rate,
                RunCommand.number(quota), eta);
    }

    abstract void show(String line, BatchRecord batch, double seconds);

    void finish() {}

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Redrawn in place: carriage return, no newline until the end. */
    private static final class Bar extends Progress {
        private static final int WIDTH = 24;
        private final PrintWriter out;
        private boolean drawn;

        Bar(PrintWriter out, double quota) {
            super(quota);
            this.out = out;
        }

        @Override
        void show(String line, BatchRecord batch, double seconds) {
            long total = batch.totalRuns() == null ? 0 : batch.totalRuns();
            long settled = batch.count("completedRunCount") + batch.count("failedRunCount")
                    + batch.count("cancelledRunCount") + batch.count("deletedRunCount")
                    + batch.count("failedStartSubmissionCount");
            int filled = total == 0 ? 0 : (int) Math.min(WIDTH, settled * WIDTH / total);
            out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + line + "\u001b[K");
            out.flush();
            drawn = true;
        }

        @Override
        void finish() {
            if (drawn) {
                out.println();
                out.flush();
            }
        }
    }

    /** For logs and CI: a line every 5 s, and whenever the batch's status changes. */
    private static final class Lines extends Progress {
        private final PrintWriter out;
        private double lastShown = Double.NEGATIVE_INFINITY;
        private String lastStatus;

        Lines(PrintWriter out, double quota) {
            super(quota);
            this.out = out;
        }

        @Override
        void show(String line, BatchRecord batch, double seconds) {
            String status = batch.status().name();
            if (seconds - lastShown >= 5 || !status.equals(lastStatus)) {
                out.printf(Locale.ROOT, "%7.1fs %s%n", seconds, line);
                out.flush();
                lastShown = seconds;
                lastStatus = status;
            }
        }
    }
}
