package dev.berth.registry;

import dev.berth.errors.BerthException;

/**
 * A registry failure in words for a window rather than a terminal: what happened and what to do.
 * The technical text (Docker's wording) follows in the details, for bug reports.
 */
public final class PlainMessages {
    private PlainMessages() {
    }

    /** One short sentence for {@code e}, which came from talking to {@code registry}. */
    public static String of(String registry, Throwable e) {
        String detail = e.getMessage() == null ? "" : e.getMessage();
        if (detail.contains("toomanyrequests") || detail.contains("HTTP 429")) {
            int at = detail.indexOf("ratelimit-remaining: ");
            String quota = at < 0 ? "" : " (remaining: " + detail.substring(at + 21).replace(")", "").strip() + ")";
            return registry + " is rate limiting you" + quota + ". Wait a while, or sign in for a higher limit.";
        }
        return switch (BerthException.categoryOf(e)) {
            case UNAUTHORIZED -> needsSignIn(detail)
                    ? "Sign in to " + registry + " first."
                    : "The user name or password was not accepted by " + registry + ".";
            case FORBIDDEN -> "Access denied by " + registry + ": this account may not do that here.";
            case NOT_FOUND -> "Not found on " + registry + ".";
            case NOT_IMPLEMENTED -> detail.isEmpty() ? registry + " does not support that." : capitalise(detail) + ".";
            case UNAVAILABLE -> "Cannot reach " + registry + ". Check the address and your network, then retry.";
            default -> capitalise(detail);
        };
    }

    /** A 401 to someone who sent no credentials, as opposed to credentials that were refused. */
    private static boolean needsSignIn(String detail) {
        String d = detail.toLowerCase(java.util.Locale.ROOT);
        return d.startsWith("sign in") || d.contains("authentication required") || d.contains("docker login");
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
