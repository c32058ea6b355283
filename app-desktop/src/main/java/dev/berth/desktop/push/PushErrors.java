package dev.berth.desktop.push;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.Locale;

/**
 * A failed push in words that say what to do. The engine reports push failures in-band as Docker's
 * text (its category is lost on the way), so the text is what is classified here.
 */
public final class PushErrors {
    /** What the wizard shows, and whether trying the same push again can help. */
    public record Failure(String message, boolean retryable) {
    }

    private PushErrors() {
    }

    public static Failure of(String registry, boolean signedIn, Throwable e) {
        String detail = e.getMessage() == null ? e.toString() : e.getMessage();
        String d = detail.toLowerCase(Locale.ROOT);
        if (d.contains("toomanyrequests") || d.contains("http 429") || d.contains("rate limit")) {
            int at = d.indexOf("ratelimit-remaining: ");
            String quota = at < 0 ? "" : " (remaining: " + detail.substring(at + 21).replace(")", "").strip() + ")";
            return new Failure(registry + " is rate limiting pushes" + quota
                    + ". Wait a few minutes and retry, or sign in to an account with a higher limit.", true);
        }
        ErrorCategory category = BerthException.categoryOf(e);
        boolean unauthorized = d.contains("unauthorized") || d.contains("authentication required")
                || category == ErrorCategory.UNAUTHORIZED;
        if (unauthorized && !signedIn) {
            return new Failure("Not signed in to " + registry + ": sign in, then push again.", false);
        }
        if (unauthorized) {
            return new Failure(registry + " did not accept your sign-in (expired token or changed password?): "
                    + "sign in again, then push again.", false);
        }
        if (d.contains("denied") || category == ErrorCategory.FORBIDDEN) {
            return new Failure(signedIn
                    ? "Access denied by " + registry + ": this account may not push to that repository. "
                            + "Check the namespace (your user or an organisation you belong to)."
                    : "Not signed in to " + registry + ": sign in, then push again.", false);
        }
        if (d.contains("connection refused") || d.contains("dial tcp") || d.contains("connection reset")
                || d.contains("timed out") || d.contains("timeout") || d.contains("unexpected end of stream")
                || d.contains("eof") || d.contains("no route to host") || d.contains("unknownhost")
                || d.contains("unknown host") || d.contains("broken pipe") || category == ErrorCategory.UNAVAILABLE) {
            return new Failure("The connection to " + registry + " was lost during the push. "
                    + "Check your network (or that the registry is up), then press Retry: "
                    + "layers already sent are not sent again.", true);
        }
        if (category == ErrorCategory.NOT_FOUND && d.contains("does not exist locally")) {
            return new Failure("The local image is gone: pick another image.", false);
        }
        return new Failure("The push failed: " + detail, true);
    }
}
