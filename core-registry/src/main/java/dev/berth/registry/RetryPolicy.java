package dev.berth.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

import javax.net.ssl.SSLException;

/**
 * When and how long to retry a registry call (go-containerregistry's remote/options.go defaults).
 * Attempts count every try, the first included; backoff doubles from {@code backoffBase} up to
 * {@code backoffMax} with jitter; a {@code Retry-After} from the server wins, but never past
 * {@code maxRetryAfter}, so a hostile or overloaded server cannot park a pull for an hour.
 */
public record RetryPolicy(int maxAttempts, Duration backoffBase, Duration backoffMax, Duration maxRetryAfter) {
    /** Transient statuses: timeouts, rate limits and server errors other than "not implemented". */
    public static final IntPredicate RETRIED_STATUSES = s -> s == 408 || s == 429 || (s >= 500 && s != 501 && s != 505);

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(60));
    /** Same decisions, milliseconds instead of seconds: for tests. */
    public static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(100),
            Duration.ofSeconds(2));
    /** One attempt: for callers that do their own retrying. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public boolean isRetriedStatus(int status) {
        return RETRIED_STATUSES.test(status);
    }

    /**
     * True for network failures that another try may cure: resets, refused or timed-out connections,
     * a stream cut short. TLS failures are not retried: they fail the same way every time.
     */
    public boolean isRetriedFailure(IOException e) {
        if (e instanceof SSLException) {
            return false;
        }
        return e instanceof SocketException || e instanceof ConnectException || e instanceof SocketTimeoutException
                || e instanceof HttpTimeoutException || e instanceof java.io.EOFException
                || e instanceof java.net.ProtocolException || e instanceof InterruptedIOException
                || (e.getMessage() != null && (e.getMessage().contains("unexpected end of stream")
                        || e.getMessage().contains("Connection reset") || e.getMessage().contains("stream was reset")));
    }

    /**
     * The pause before attempt {@code attempt + 1} (attempt counts from 1), given the server's
     * Retry-After if any.
     */
    public Duration delayAfter(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
        }
        long base = backoffBase.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, backoffMax.toMillis());
        // Full jitter on the upper half spreads parallel layer retries apart.
        long jittered = capped / 2 + (capped > 1 ? ThreadLocalRandom.current().nextLong(capped / 2 + 1) : 0);
        return Duration.ofMillis(jittered);
    }

    /** Parses a Retry-After header: delta-seconds or an HTTP date. Null if absent or unreadable. */
    public static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime when = java.time.ZonedDateTime.parse(value.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), when.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException ignored) {
                return null;
            }
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.berth.errors.BerthException(dev.berth.errors.ErrorCategory.UNAVAILABLE,
                    "interrupted while waiting to retry", e);
        }
    }

    /**
     * Sends {@code request}, retrying the statuses and I/O failures this policy retries (honouring
     * Retry-After). An I/O failure that is not retried, or the last one, becomes {@code giveUp}'s
     * exception; with {@code retryIoFailures} false the first one does (a caller that falls back instead).
     */
    public okhttp3.Response send(okhttp3.OkHttpClient http, okhttp3.Request request, boolean retryIoFailures,
                                 java.util.function.Function<IOException, RuntimeException> giveUp) {
        for (int attempt = 1; ; attempt++) {
            try {
                okhttp3.Response r = http.newCall(request).execute();
                if (isRetriedStatus(r.code()) && attempt < maxAttempts) {
                    Duration wait = delayAfter(attempt, parseRetryAfter(r.header("Retry-After")));
                    r.close();
                    sleep(wait);
                    continue;
                }
                return r;
            } catch (IOException e) {
                if (!retryIoFailures || !isRetriedFailure(e) || attempt >= maxAttempts) {
                    throw giveUp.apply(e);
                }
                sleep(delayAfter(attempt, null));
            }
        }
    }
}
