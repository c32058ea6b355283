package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a registry's error reply into a {@link BerthException} worded as Docker words it. The body is
 * the distribution spec's {@code {"errors":[{"code":…,"message":…,"detail":…}]}}; each error prints as
 * {@code <code, lower case, spaces>: <message>}, e.g. {@code manifest unknown: manifest unknown}.
 */
public final class RegistryErrors {
    /** One entry of the {@code errors} array. */
    public record RegistryError(String code, String message) {
        /** docker's errcode.Error.Error(). */
        public String describe() {
            String c = code == null ? "unknown" : code.toLowerCase(Locale.ROOT).replace('_', ' ');
            return message == null || message.isEmpty() ? c : c + ": " + message;
        }
    }

    /** What went wrong on the wire: the status, the parsed errors, and the headers a message may cite. */
    public record Failure(int status, String statusMessage, List<RegistryError> errors, String url,
                          String rateLimitRemaining) {
        public boolean hasCode(String code) {
            return errors.stream().anyMatch(e -> code.equalsIgnoreCase(e.code()));
        }

        /** docker's errcode.Errors.Error() for what the registry said, or a status line if it said nothing. */
        public String describe() {
            if (errors.isEmpty()) {
                return switch (status) {
                    case 401 -> "unauthorized: authentication required";
                    case 403 -> "denied: requested access to the resource is denied";
                    case 404 -> "not found";
                    case 429 -> "toomanyrequests: too many requests";
                    default -> "received unexpected HTTP status: " + status
                            + (statusMessage == null || statusMessage.isEmpty() ? "" : " " + statusMessage);
                };
            }
            if (errors.size() == 1) {
                return errors.getFirst().describe();
            }
            StringBuilder sb = new StringBuilder("errors:\n");
            errors.forEach(e -> sb.append(e.describe()).append('\n'));
            return sb.toString();
        }
    }

    /**
     * Words a failure for one operation. Endpoints pass their own to say "manifest for x not found"
     * rather than a bare "not found".
     */
    @FunctionalInterface
    public interface Translator {
        BerthException translate(Failure failure);
    }

    /** The default wording: what the registry said, categorised by status and code. */
    public static final Translator DEFAULT = f -> new BerthException(categoryOf(f), f.describe());

    private RegistryErrors() {
    }

    /** Parses an error body; anything that is not the spec's shape yields no errors, never an exception. */
    public static List<RegistryError> parse(byte[] body) {
        List<RegistryError> out = new ArrayList<>();
        if (body == null || body.length == 0) {
            return out;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            JsonNode errors = root == null ? null : root.get("errors");
            if (errors != null && errors.isArray()) {
                for (JsonNode e : errors) {
                    out.add(new RegistryError(e.path("code").asText(null), e.path("message").asText(null)));
                }
            } else if (root != null && root.has("details")) {
                // Token servers answer {"details":"incorrect username or password"}.
                out.add(new RegistryError("UNAUTHORIZED", root.get("details").asText()));
            }
        } catch (IOException e) {
            // An HTML error page from a proxy: the status says enough.
        }
        return out;
    }

    public static ErrorCategory categoryOf(Failure f) {
        if (f.hasCode("UNAUTHORIZED") || f.status() == 401) {
            return ErrorCategory.UNAUTHORIZED;
        }
        if (f.hasCode("DENIED") || f.status() == 403) {
            return ErrorCategory.FORBIDDEN;
        }
        if (f.hasCode("MANIFEST_UNKNOWN") || f.hasCode("NAME_UNKNOWN") || f.hasCode("BLOB_UNKNOWN")
                || f.hasCode("BLOB_UPLOAD_UNKNOWN") || f.status() == 404) {
            return ErrorCategory.NOT_FOUND;
        }
        if (f.hasCode("DIGEST_INVALID") || f.hasCode("SIZE_INVALID")) {
            return ErrorCategory.DATA_LOSS;
        }
        if (f.status() == 405 || f.hasCode("UNSUPPORTED") || f.status() == 501) {
            return ErrorCategory.NOT_IMPLEMENTED;
        }
        if (f.status() == 409) {
            return ErrorCategory.CONFLICT;
        }
        if (f.status() == 408 || f.status() == 429 || f.status() >= 500) {
            return ErrorCategory.UNAVAILABLE;
        }
        return ErrorCategory.INVALID_ARGUMENT;
    }

    /** A rate-limit failure that outlasted our retries, with Docker Hub's quota header when present. */
    static BerthException rateLimited(Failure f, int attempts) {
        String what = f.errors().isEmpty() ? "toomanyrequests: rate limit exceeded" : f.describe();
        return new BerthException(ErrorCategory.UNAVAILABLE, what + " (HTTP 429: registry rate limit reached, gave up after "
                + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + (f.rateLimitRemaining() == null ? "" : "; ratelimit-remaining: " + f.rateLimitRemaining()) + ")");
    }
}
