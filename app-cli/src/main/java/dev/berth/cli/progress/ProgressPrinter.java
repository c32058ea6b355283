package dev.berth.cli.progress;

import dev.berth.engine.format.Units;
import dev.berth.engine.client.model.JsonMessage;

import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Draws a pull, push or load stream as docker's CLI does ({@code jsonmessage.DisplayJSONMessagesStream}).
 * On a terminal every layer keeps one line that is redrawn in place (cursor up, erase line, draw,
 * cursor down); elsewhere progress updates are skipped and only status lines are printed, such as
 * {@code abc123: Pull complete}.
 */
public final class ProgressPrinter {
    private static final String ERASE_LINE = "\u001b[2K";

    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final Clock clock;

    public ProgressPrinter(PrintStream out, boolean terminal, int width, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
        this.clock = clock;
    }

    /**
     * Prints every message until the stream ends. Messages with {@code aux} go to {@code aux}
     * instead. An error line ends the stream by throwing (the stream itself does that).
     */
    public void display(Iterator<JsonMessage> messages, Consumer<JsonMessage> aux) {
        Map<String, Integer> ids = new HashMap<>();
        while (messages.hasNext()) {
            JsonMessage jm = messages.next();
            if (jm.aux() != null) {
                if (aux != null) {
                    aux.accept(jm);
                }
                continue;
            }
            int diff = 0;
            if (jm.id() != null && !jm.id().isEmpty() && (jm.progressDetail() != null || notEmpty(jm.progress()))) {
                Integer line = ids.get(jm.id());
                if (line == null) {
                    // One line per id: the count of ids tells how far up this id's line is, which
                    // only holds while anything printed without an id resets the count (below).
                    line = ids.size();
                    ids.put(jm.id(), line);
                    if (terminal) {
                        out.print("\n");
                    }
                }
                diff = ids.size() - line;
                if (terminal && diff > 0) {
                    out.print("\u001b[" + diff + "A");
                }
            } else {
                ids.clear();
            }
            print(jm);
            if (jm.id() != null && !jm.id().isEmpty() && terminal && diff > 0) {
                out.print("\u001b[" + diff + "B");
            }
            out.flush();
        }
    }

    private void print(JsonMessage jm) {
        String endl = "";
        boolean hasStream = notEmpty(jm.stream());
        if (terminal && !hasStream && jm.progressDetail() != null) {
            out.print(ERASE_LINE);
            endl = "\r";
            out.print(endl);
        } else if (jm.progressDetail() != null && !bar(jm.progressDetail()).isEmpty()) {
            return; // progress bars only make sense on a terminal
        }
        if (notEmpty(jm.id())) {
            out.print(jm.id() + ": ");
        }
        String status = jm.status() == null ? "" : jm.status();
        if (jm.progressDetail() != null && terminal) {
            out.print(status + " " + bar(jm.progressDetail()) + endl);
        } else if (notEmpty(jm.progress())) {
            out.print(status + " " + jm.progress() + endl);
        } else if (hasStream) {
            out.print(jm.stream() + endl);
        } else {
            out.print(status + endl + "\n");
        }
    }

    /** docker's {@code JSONProgress.String()}: {@code [====>    ]  1.2MB/4.3MB 3s}, trimmed on narrow terminals. */
    String bar(JsonMessage.ProgressDetail p) {
        if (p.current() <= 0 && p.total() <= 0) {
            return "";
        }
        if (p.total() <= 0) {
            return p.units() == null || p.units().isEmpty()
                    ? String.format("%8s", Units.humanSize(p.current()))
                    : p.current() + " " + p.units();
        }
        int percentage = Math.min((int) ((double) p.current() / p.total() * 100) / 2, 50);
        String barBox = "";
        if (width > 110) {
            barBox = "[" + "=".repeat(percentage) + ">" + " ".repeat(Math.max(50 - percentage, 0)) + "] ";
        }
        String numbers = "";
        if (!p.hideCounts()) {
            if (p.units() == null || p.units().isEmpty()) {
                numbers = p.current() > p.total()
                        ? String.format("%8s", Units.humanSize(p.current()))
                        : String.format("%8s/%s", Units.humanSize(p.current()), Units.humanSize(p.total()));
            } else {
                numbers = p.current() > p.total()
                        ? p.current() + " " + p.units()
                        : p.current() + "/" + p.total() + " " + p.units();
            }
        }
        String timeLeft = "";
        if (width > 50 && p.current() > 0 && p.start() > 0 && percentage < 50) {
            double elapsed = clock.millis() / 1000.0 - p.start();
            double perUnit = elapsed / p.current();
            long left = Math.round((p.total() - p.current()) * perUnit);
            timeLeft = " " + Units.goDuration(Math.max(left, 0));
        }
        return barBox + numbers + timeLeft;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
