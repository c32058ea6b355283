package dev.berth.desktop.detail.logs;

/**
 * One line of a container's log. {@code timestamp} is the engine's RFC 3339 stamp when the logs were
 * asked for with timestamps (kept apart so the view can toggle it without refetching), else null.
 */
public record LogLine(long seq, LogStream stream, String timestamp, String text) {
    /** The line as shown and copied: with its timestamp when asked and known. */
    public String display(boolean withTimestamp) {
        return withTimestamp && timestamp != null ? timestamp + " " + text : text;
    }
}
