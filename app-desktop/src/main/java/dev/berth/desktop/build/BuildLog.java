package dev.berth.desktop.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the classic builder's {@code stream} text into steps: "Step N/M : INSTR" opens one,
 * " ---> Using cache" marks it a cache hit, anything not a builder marker is the step's output.
 * Text arrives in arbitrary chunks, so a partial line waits for its newline.
 */
public final class BuildLog {
    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) : (.*)$");
    private static final Pattern IMAGE_LINE = Pattern.compile("^ ---> [0-9a-f]{12}$");

    /** One step as shown: elapsed is the time so far while it runs. */
    public record Step(int number, int total, String instruction, boolean cached, long elapsedMillis, boolean done,
                       List<String> output) {
    }

    private static final class Open {
        int number;
        int total;
        String instruction;
        boolean cached;
        long start;
        long end = -1;
        final List<String> output = new ArrayList<>();
    }

    private final LongSupplier clockMillis;
    private final List<Open> steps = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final StringBuilder all = new StringBuilder();
    private String builtId;

    public BuildLog(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** Feeds a chunk; returns the complete lines it finished. */
    public List<String> accept(String chunk) {
        all.append(chunk);
        partial.append(chunk);
        List<String> lines = new ArrayList<>();
        for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
            String line = partial.substring(0, nl);
            partial.delete(0, nl + 1);
            line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            lines.add(line);
        }
        return lines;
    }

    private void line(String line) {
        Matcher m = STEP.matcher(line);
        long now = clockMillis.getAsLong();
        if (m.matches()) {
            finishCurrent(now);
            Open o = new Open();
            o.number = Integer.parseInt(m.group(1));
            o.total = Integer.parseInt(m.group(2));
            o.instruction = m.group(3);
            o.start = now;
            steps.add(o);
            return;
        }
        if (line.startsWith("Successfully built ")) {
            finishCurrent(now);
            builtId = line.substring("Successfully built ".length()).strip();
            return;
        }
        Open cur = steps.isEmpty() ? null : steps.getLast();
        if (cur == null || line.startsWith("Successfully tagged ")) {
            return;
        }
        if (line.equals(" ---> Using cache")) {
            cur.cached = true;
        } else if (!line.startsWith(" ---> Running in ") && !line.startsWith(" ---> Removed intermediate container")
                && !IMAGE_LINE.matcher(line).matches()) {
            cur.output.add(line);
        }
    }

    private void finishCurrent(long now) {
        if (!steps.isEmpty() && steps.getLast().end < 0) {
            steps.getLast().end = now;
        }
    }

    /** Ends the last step (the build failed or was cancelled in it). */
    public void end() {
        if (!partial.isEmpty()) {
            accept("\n");
        }
        finishCurrent(clockMillis.getAsLong());
    }

    public List<Step> steps() {
        long now = clockMillis.getAsLong();
        List<Step> out = new ArrayList<>();
        for (Open o : steps) {
            out.add(new Step(o.number, o.total, o.instruction, o.cached, (o.end < 0 ? now : o.end) - o.start, o.end >= 0,
                    List.copyOf(o.output)));
        }
        return out;
    }

    /** The step running (or the last one), if any. */
    public java.util.Optional<Step> current() {
        List<Step> s = steps();
        return s.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(s.getLast());
    }

    public long cacheHits() {
        return steps.stream().filter(o -> o.cached).count();
    }

    /** The short ID from "Successfully built", or null. */
    public String builtId() {
        return builtId;
    }

    public String text() {
        return all.toString();
    }
}
