package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;


/**
 * The one place that sends requests to a registry (jib's RegistryEndpointCaller): it picks the scheme
 * (pinging {@code /v2/}), adds authorization, follows redirects itself, retries transient failures, and
 * turns any status the endpoint did not ask for into a {@link BerthException}. Endpoint classes build
 * {@link Call}s and read the responses they accepted.
 *
 * <p>Redirects are followed here, not by OkHttp, so that {@code Authorization} is dropped whenever a
 * redirect leaves the registry's host: blob downloads are routinely redirected to storage buckets or
 * CDNs, which must never see the user's token or password.
 */
final class RegistryCaller {
    /** Enough for any real redirect chain (registry → CDN → edge); more is a loop. */
    static final int MAX_REDIRECTS = 10;
    /** A 401 after a fresh token is not fixed by another; two refreshes cover a widened scope. */
    static final int MAX_AUTH_REFRESHES = 2;
    /** Error bodies are read for their message only; a hostile one must not fill memory. */
    static final int MAX_ERROR_BODY = 64 * 1024;

    /** A request to make. Build with {@link #get}, {@link #head}, {@link #to}. */
    static final class Call {
        final String method;
        final String target; // a path under the registry, or an absolute URL (Location, Link)
        final Headers.Builder headers = new Headers.Builder();
        RequestBody body;
        final Set<String> scopes = new LinkedHashSet<>();
        final Set<Integer> accepted = new LinkedHashSet<>();
        boolean retryable;
        RegistryErrors.Translator translator = RegistryErrors.DEFAULT;
        ProgressListener listener = ProgressListener.NONE;
        String progressId = "";

        private Call(String method, String target, boolean retryable) {
            this.method = method;
            this.target = target;
            this.retryable = retryable;
        }

        static Call get(String target) {
            return new Call("GET", target, true);
        }

        static Call head(String target) {
            return new Call("HEAD", target, true);
        }

        /** A call with a body; retried only if {@code retryable} says the body can be resent. */
        static Call to(String method, String target, RequestBody body, boolean retryable) {
            Call c = new Call(method, target, retryable);
            c.body = body;
            return c;
        }

        Call header(String name, String value) {
            headers.set(name, value);
            return this;
        }

        Call scope(String... s) {
            scopes.addAll(List.of(s));
            return this;
        }

        Call accept(Integer... statuses) {
            accepted.addAll(List.of(statuses));
            return this;
        }

        Call errors(RegistryErrors.Translator t) {
            translator = t;
            return this;
        }

        Call progress(ProgressListener l, String id) {
            listener = l;
            progressId = id;
            return this;
        }
    }

    private final String registry;
    private final String apiHost;
    private final boolean insecure;
    private final OkHttpClient http;
    private final RegistryAuthenticator auth;
    private final RetryPolicy retry;
    private volatile HttpUrl base; // scheme://apiHost, decided by the first ping
    private volatile String rateLimitRemaining; // Docker Hub's quota header, as last seen

    RegistryCaller(String registry, boolean insecure, OkHttpClient http, RegistryAuthenticator auth, RetryPolicy retry) {
        this.registry = registry;
        this.apiHost = RegistryHosts.apiHost(registry);
        this.insecure = insecure;
        this.http = http;
        this.auth = auth;
        this.retry = retry;
    }

    String registry() {
        return registry;
    }

    RegistryAuthenticator authenticator() {
        return auth;
    }

    RetryPolicy retry() {
        return retry;
    }

    /** The base URL, pinging first if needed. */
    HttpUrl base() {
        HttpUrl b = base;
        if (b == null) {
            synchronized (this) {
                if (base == null) {
                    ping();
                }
                b = base;
            }
        }
        return b;
    }

    /**
     * GET /v2/ to learn the scheme and the auth challenge. Insecure registries (loopback ones always)
     * are tried over HTTPS first and over HTTP when TLS fails or nothing listens for it, as Docker does.
     */
    synchronized void ping() {
        List<String> schemes = insecure ? List.of("https", "http") : List.of("https");
        BerthException failure = null;
        for (String scheme : schemes) {
            HttpUrl candidate = HttpUrl.parse(scheme + "://" + apiHost + "/");
            if (candidate == null) {
                throw BerthException.invalid("invalid registry host \"" + registry + "\"");
            }
            Request request = new Request.Builder().url(candidate.resolve("/v2/")).get()
                    .header("Accept-Encoding", "identity").build();
            try (Response r = executeWithRetry(request, scheme.equals("https") && insecure)) {
                if (r.code() == 401) {
                    auth.setChallenge(AuthChallenge.preferred(AuthChallenge.parse(r.headers("WWW-Authenticate"))));
                } else if (r.code() != 200) {
                    failure = unexpected(r, candidate);
                    continue;
                }
                base = candidate;
                return;
            } catch (FallbackToHttp e) {
                failure = new BerthException(ErrorCategory.UNAVAILABLE, e.getMessage(), e.getCause());
            }
        }
        throw failure;
    }

    /** Thrown when an HTTPS ping of an insecure registry fails in a way HTTP may cure. */
    private static final class FallbackToHttp extends RuntimeException {
        FallbackToHttp(String message, IOException cause) {
            super(message, cause);
        }
    }

    private BerthException unexpected(Response r, HttpUrl url) {
        return new BerthException(ErrorCategory.UNAVAILABLE, "Get \"" + url.resolve("/v2/") + "\": registry answered HTTP "
                + r.code() + ", which is not a registry API (v2) reply");
    }

    private Response executeWithRetry(Request request, boolean mayFallBack) {
        // Docker's rule for insecure registries: any failure to speak HTTPS means try HTTP. Retrying
        // first would only delay that (a plain-HTTP server may never answer a TLS hello).
        return retry.send(http, request, !mayFallBack, e -> mayFallBack
                ? new FallbackToHttp(describe(request, e), e)
                : new BerthException(ErrorCategory.UNAVAILABLE, describe(request, e), e));
    }

    /** Docker's wording for transport errors: {@code Get "url": message}. */
    static String describe(Request request, IOException e) {
        String method = request.method().charAt(0) + request.method().substring(1).toLowerCase();
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectException) {
            msg = "dial tcp " + request.url().host() + ":" + request.url().port() + ": connect: connection refused";
        } else if (e instanceof javax.net.ssl.SSLException && msg.contains("Unsupported or unrecognized SSL message")) {
            // Go's words for the same event: what a user searches for, and what `--insecure-registry` cures.
            msg = "http: server gave HTTP response to HTTPS client";
        } else if (e instanceof javax.net.ssl.SSLHandshakeException && msg.contains("PKIX path building failed")) {
            msg = "tls: failed to verify certificate: x509: certificate signed by unknown authority";
        }
        return method + " \"" + request.url() + "\": " + msg;
    }

    HttpUrl url(String target) {
        HttpUrl b = base();
        HttpUrl u = target.startsWith("http://") || target.startsWith("https://") ? HttpUrl.parse(target) : b.resolve(target);
        if (u == null) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "registry sent an unusable URL: " + target);
        }
        return u;
    }

    /**
     * Executes {@code call}. Returns the response when its status is one the call accepts (the caller
     * closes it); otherwise closes it and throws the translated error. Transport failures surface as
     * UNAVAILABLE after the retry policy is spent.
     */
    Response execute(Call call) {
        HttpUrl url = url(call.target);
        int authRefreshes = 0;
        Collection<String> scopes = new LinkedHashSet<>(call.scopes);
        for (int attempt = 1; ; attempt++) {
            Response r;
            boolean sentAuth;
            try {
                String authorization = auth.authorization(scopes);
                sentAuth = authorization != null;
                r = followRedirects(call, url, authorization);
            } catch (IOException e) {
                if (call.retryable && retry.isRetriedFailure(e) && attempt < retry.maxAttempts()) {
                    call.listener.onProgress(call.progressId, new ProgressEvent.Retrying(attempt + 1, e.toString()));
                    RetryPolicy.sleep(retry.delayAfter(attempt, null));
                    continue;
                }
                throw new BerthException(ErrorCategory.UNAVAILABLE, describe(request(call, url, null), e), e);
            }
            int status = r.code();
            String quota = r.header("ratelimit-remaining");
            if (quota != null) {
                rateLimitRemaining = quota;
            }
            if (call.accepted.contains(status)) {
                return r;
            }
            if (status == 401 && r.request().url().host().equals(url.host()) && authRefreshes < MAX_AUTH_REFRESHES
                    && auth.onUnauthorized(AuthChallenge.parse(r.headers("WWW-Authenticate")), scopes, sentAuth)) {
                authRefreshes++;
                scopes.addAll(auth.challengeScopes());
                r.close();
                attempt--; // an auth round is not a failed attempt
                continue;
            }
            if (call.retryable && retry.isRetriedStatus(status) && attempt < retry.maxAttempts()) {
                Duration wait = retry.delayAfter(attempt, RetryPolicy.parseRetryAfter(r.header("Retry-After")));
                call.listener.onProgress(call.progressId, new ProgressEvent.Retrying(attempt + 1,
                        "HTTP " + status + (status == 429 ? " (rate limited), waiting " + wait.toMillis() + " ms" : "")));
                r.close();
                RetryPolicy.sleep(wait);
                continue;
            }
            RegistryErrors.Failure failure = failure(r);
            if (status == 429) {
                throw RegistryErrors.rateLimited(failure, attempt);
            }
            throw call.translator.translate(failure);
        }
    }

    static RegistryErrors.Failure failure(Response r) {
        byte[] body = new byte[0];
        try (r; ResponseBody b = r.body(); InputStream in = b.byteStream()) {
            body = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException ignored) {
            // The status alone still says what failed.
        }
        return new RegistryErrors.Failure(r.code(), r.message(), RegistryErrors.parse(body), r.request().url().toString(),
                r.header("ratelimit-remaining"));
    }

    private Request request(Call call, HttpUrl url, String authorization) {
        Request.Builder b = new Request.Builder().url(url).headers(call.headers.build());
        // Identity: OkHttp would otherwise ask for gzip and inflate transparently, breaking digests and Range.
        b.header("Accept-Encoding", "identity");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.method(call.method, call.body == null && requiresBody(call.method) ? RequestBody.create(new byte[0]) : call.body);
        return b.build();
    }

    private static boolean requiresBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private Response followRedirects(Call call, HttpUrl url, String authorization) throws IOException {
        HttpUrl current = url;
        String method = call.method;
        for (int hop = 0; ; hop++) {
            boolean sameHost = current.host().equals(url.host()) && current.port() == url.port();
            Request req = request(call, current, sameHost ? authorization : null);
            if (!method.equals(call.method)) {
                req = req.newBuilder().method(method, null).build();
            }
            Response r = http.newCall(req).execute();
            if (!r.isRedirect()) {
                return r;
            }
            String location = r.header("Location");
            r.close();
            if (location == null || hop >= MAX_REDIRECTS) {
                throw new java.net.ProtocolException(hop >= MAX_REDIRECTS ? "too many redirects" : "redirect without Location");
            }
            HttpUrl next = current.resolve(location);
            if (next == null) {
                throw new java.net.ProtocolException("redirect to an unusable URL");
            }
            if (r.code() == 303 || ((r.code() == 301 || r.code() == 302) && !method.equals("HEAD"))) {
                method = method.equals("HEAD") ? "HEAD" : "GET";
            }
            current = next;
        }
    }

    /** Docker Hub's {@code ratelimit-remaining} header from the latest response that carried one, or null. */
    String rateLimitRemaining() {
        return rateLimitRemaining;
    }
}
