package dev.berth.cli.format;

/** A template that does not parse or fails while running; the message is worded as Go's. */
public final class TemplateException extends Exception {
    private final boolean parse;

    public TemplateException(String message, boolean parse) {
        super(message);
        this.parse = parse;
    }

    /** True for a template that did not parse, false for one that failed while running. */
    public boolean isParseError() {
        return parse;
    }
}
