package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers a registry's auth challenge (jib's RegistryAuthenticator, Docker's token flow): for Basic it
 * sends the credential; for Bearer it fetches a token for the request's scopes from the challenge's
 * realm and caches it per scope set until shortly before it expires. Credentials go only to the
 * registry itself and to the realm it names, never anywhere else.
 */
public final class RegistryAuthenticator {
    /** The spec's default token lifetime when a token server omits expires_in. */
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** Renew this long before expiry so a token does not lapse between check and use. */
    static final Duration EXPIRY_SLACK = Duration.ofSeconds(10);
    static final String CLIENT_ID = "berth";

    /** A repository scope: {@code repository:<name>:pull[,push]}. */
    public static String repositoryScope(String repository, boolean push) {
        return "repository:" + repository + ":" + (push ? "pull,push" : "pull");
    }

    public static final String CATALOG_SCOPE = "registry:catalog:*";

    record Token(String value, Instant expires, String refreshToken) {
    }

    private final OkHttpClient http;
    private final Credential credential;
    private final RetryPolicy retry;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile AuthChallenge challenge;

    RegistryAuthenticator(OkHttpClient http, Credential credential, RetryPolicy retry, Clock clock) {
        this.http = http;
        this.credential = credential;
        this.retry = retry;
        this.clock = clock;
    }

    public Credential credential() {
        return credential;
    }

    /** The challenge learnt from the ping or the last 401; null while the registry asked for none. */
    public AuthChallenge challenge() {
        return challenge;
    }

    void setChallenge(AuthChallenge c) {
        this.challenge = c;
    }

    /** The Authorization header for a request needing {@code scopes}, or null to send none. */
    String authorization(Collection<String> scopes) {
        AuthChallenge c = challenge;
        if (c == null) {
            return null;
        }
        if (c.isBasic()) {
            return credential.hasPassword() ? credential.basicHeader() : null;
        }
        if (c.isBearer()) {
            return "Bearer " + token(c, scopes, false).value();
        }
        return null;
    }

    /**
     * A 401 arrived: adopt its challenge (it may widen the scope) and drop the cached token so the next
     * {@link #authorization} fetches a fresh one. Returns false when retrying cannot help, e.g. Basic
     * was already sent, or no credentials exist for a challenge that needs them.
     */
    boolean onUnauthorized(List<AuthChallenge> offered, Collection<String> scopes, boolean sentAuthorization) {
        AuthChallenge c = AuthChallenge.preferred(offered);
        if (c == null) {
            return false;
        }
        AuthChallenge previous = challenge;
        challenge = c;
        if (c.isBasic()) {
            return credential.hasPassword() && (!sentAuthorization || previous == null || !previous.isBasic());
        }
        if (c.isBearer()) {
            tokens.remove(scopeKey(scopes));
            return true;
        }
        return false;
    }

    /** Scopes named by the latest challenge (a registry may ask for more than we requested). */
    Collection<String> challengeScopes() {
        AuthChallenge c = challenge;
        String s = c == null ? null : c.param("scope");
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    /** Fetches a token with no scope, as {@code docker login} does to check credentials. */
    Token login() {
        AuthChallenge c = challenge;
        if (c == null || !c.isBearer()) {
            throw new IllegalStateException("login token only for Bearer challenges");
        }
        return token(c, List.of(), true);
    }

    private static String scopeKey(Collection<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    private Token token(AuthChallenge c, Collection<String> scopes, boolean offline) {
        String key = scopeKey(scopes);
        Token cached = tokens.get(key);
        if (cached != null && clock.instant().isBefore(cached.expires())) {
            return cached;
        }
        // One fetch per scope set at a time: parallel layer downloads share the token.
        synchronized (this) {
            cached = tokens.get(key);
            if (cached != null && clock.instant().isBefore(cached.expires())) {
                return cached;
            }
            Token fresh = fetchToken(c, new TreeSet<>(scopes), offline);
            tokens.put(key, fresh);
            return fresh;
        }
    }

    private Token fetchToken(AuthChallenge c, TreeSet<String> scopes, boolean offline) {
        String realm = c.param("realm");
        HttpUrl realmUrl = realm == null ? null : HttpUrl.parse(realm);
        if (realmUrl == null) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "registry sent a Bearer challenge without a usable realm");
        }
        String service = c.param("service");
        if (credential.hasIdentityToken()) {
            // OAuth2 refresh-token grant, as the docker daemon does with an identity token.
            FormBody.Builder form = new FormBody.Builder()
                    .add("grant_type", "refresh_token")
                    .add("refresh_token", credential.identityToken())
                    .add("client_id", CLIENT_ID);
            if (service != null) {
                form.add("service", service);
            }
            if (!scopes.isEmpty()) {
                form.add("scope", String.join(" ", scopes));
            }
            Request post = new Request.Builder().url(realmUrl).post(form.build()).build();
            try (Response r = execute(post)) {
                if (r.code() != 404 && r.code() != 405) {
                    return parseToken(r);
                }
            }
            // No OAuth endpoint: fall through to the GET flow, which ignores identity tokens.
        }
        HttpUrl.Builder url = realmUrl.newBuilder();
        if (service != null) {
            url.addQueryParameter("service", service);
        }
        for (String s : scopes) {
            url.addQueryParameter("scope", s);
        }
        Request.Builder get = new Request.Builder().url(url.build()).get();
        if (credential.hasPassword()) {
            url.addQueryParameter("account", credential.username());
            get.url(url.build());
            get.header("Authorization", credential.basicHeader());
        }
        if (offline) {
            url.addQueryParameter("offline_token", "true").addQueryParameter("client_id", CLIENT_ID);
            get.url(url.build());
        }
        try (Response r = execute(get.build())) {
            return parseToken(r);
        }
    }

    private Response execute(Request request) {
        return retry.send(http, request, true, e -> new BerthException(ErrorCategory.UNAVAILABLE,
                "getting a token from " + request.url().host() + ": " + e.getMessage(), e));
    }

    private Token parseToken(Response r) {
        byte[] body;
        try {
            body = r.body().bytes();
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "reading a token from " + r.request().url().host()
                    + ": " + e.getMessage(), e);
        }
        if (!r.isSuccessful()) {
            RegistryErrors.Failure f = new RegistryErrors.Failure(r.code(), r.message(), RegistryErrors.parse(body),
                    r.request().url().toString(), null);
            if (r.code() == 401 || r.code() == 403) {
                String detail = f.errors().isEmpty() ? "incorrect username or password" : f.errors().getFirst().message();
                throw new BerthException(ErrorCategory.UNAUTHORIZED, "unauthorized: " + detail);
            }
            throw RegistryErrors.DEFAULT.translate(f);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "token server answered with invalid JSON");
        }
        String value = json.path("token").asText("");
        if (value.isEmpty()) {
            value = json.path("access_token").asText("");
        }
        if (value.isEmpty()) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "token server answered without a token");
        }
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TOKEN_LIFETIME;
        Instant issued = clock.instant();
        // Trust our clock over issued_at: the two hosts' clocks may disagree, ours decides expiry.
        Instant expires = issued.plus(lifetime).minus(lifetime.compareTo(EXPIRY_SLACK.multipliedBy(2)) > 0
                ? EXPIRY_SLACK : Duration.ZERO);
        String refresh = json.path("refresh_token").asText(null);
        return new Token(value, expires, refresh);
    }

    /** Number of cached tokens; for tests of the cache. */
    int cachedTokenCount() {
        return tokens.size();
    }
}
