package dev.berth.errors;

/** An error with a category. Every failure that reaches a user goes through one of these. */
public class BerthException extends RuntimeException {
    private final ErrorCategory category;

    public BerthException(ErrorCategory category, String message) {
        super(message);
        this.category = category;
    }

    public BerthException(ErrorCategory category, String message, Throwable cause) {
        super(message, cause);
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }

    public static BerthException invalid(String message) {
        return new BerthException(ErrorCategory.INVALID_ARGUMENT, message);
    }

    public static BerthException notFound(String message) {
        return new BerthException(ErrorCategory.NOT_FOUND, message);
    }

    public static BerthException conflict(String message) {
        return new BerthException(ErrorCategory.CONFLICT, message);
    }

    public static BerthException system(String message, Throwable cause) {
        return new BerthException(ErrorCategory.SYSTEM, message, cause);
    }

    /** The category of any throwable: ours carry one, anything else is a system failure. */
    public static ErrorCategory categoryOf(Throwable t) {
        ErrorCategory c = t instanceof BerthException b ? b.category() : ErrorCategory.SYSTEM;
        return c == ErrorCategory.SYSTEM && isNoSpace(t) ? ErrorCategory.NO_SPACE : c;
    }

    /**
     * Whether a full file system caused {@code t}: the JDK reports ENOSPC and EDQUOT only as the C library's
     * text in an IOException's message, wrapped by whoever was writing (an unpacker naming its entry); SQLite
     * as SQLITE_FULL's text.
     */
    static boolean isNoSpace(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.contains("database or disk is full"))) {
                return true;
            }
        }
        return false;
    }
}
