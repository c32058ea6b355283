package dev.berth.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Docker Hub's auth flow in miniature: {@code GET /token?service=…&scope=…} with optional Basic
 * credentials returns a JWT signed with the key whose certificate the registry trusts, granting the
 * requested actions to the right user and nothing to anyone else. Also answers the OAuth2
 * refresh-token POST that identity tokens use.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "berth-test-registry";
    static final String ISSUER = "berth-test-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final String username;
    private final String password;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<String> requestedScopes = new CopyOnWriteArrayList<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    volatile boolean useAccessTokenField;
    volatile int expiresInSeconds = 300;
    /** As Docker Hub: no token ever grants {@code registry:catalog:*}, so the catalog answers 401. */
    volatile boolean refuseCatalog;
    /** A second secret accepted for the user, as Hub accepts a personal access token as the password. */
    volatile String accessToken;

    TokenServer(PrivateKey key, X509Certificate cert, String username, String password) throws IOException {
        this.key = key;
        this.cert = cert;
        this.username = username;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    List<String> requestedScopes() {
        return List.copyOf(requestedScopes);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            tokenRequests.incrementAndGet();
            String query = ex.getRequestMethod().equals("POST")
                    ? new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    : ex.getRequestURI().getRawQuery();
            List<String> scopes = new ArrayList<>();
            String account = null;
            String grantType = null;
            String refresh = null;
            boolean offline = false;
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (k) {
                    case "scope" -> scopes.addAll(List.of(v.split(" ")));
                    case "account" -> account = v;
                    case "grant_type" -> grantType = v;
                    case "refresh_token" -> refresh = v;
                    case "offline_token" -> offline = v.equals("true");
                    default -> {
                    }
                }
            }
            scopes.removeIf(String::isEmpty);
            if (refuseCatalog) {
                scopes.removeIf(sc -> sc.startsWith("registry:catalog:"));
            }
            requestedScopes.addAll(scopes);
            String subject = null;
            if ("refresh_token".equals(grantType)) {
                subject = refresh == null ? null : refreshTokens.get(refresh);
                if (subject == null) {
                    reply(ex, 401, "{\"details\":\"invalid refresh token\"}");
                    return;
                }
            } else {
                String authz = ex.getRequestHeaders().getFirst("Authorization");
                if (authz != null) {
                    String expected = "Basic " + Base64.getEncoder().encodeToString(
                            (username + ":" + password).getBytes(StandardCharsets.UTF_8));
                    String token = accessToken;
                    boolean byToken = token != null && authz.equals("Basic " + Base64.getEncoder().encodeToString(
                            (username + ":" + token).getBytes(StandardCharsets.UTF_8)));
                    if (!authz.equals(expected) && !byToken) {
                        reply(ex, 401, "{\"details\":\"incorrect username or password\"}");
                        return;
                    }
                    subject = username;
                }
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put(useAccessTokenField ? "access_token" : "token", jwt(subject, subject == null ? List.of() : scopes));
            body.put("expires_in", expiresInSeconds);
            body.put("issued_at", Instant.now().toString());
            if (offline && subject != null) {
                String rt = UUID.randomUUID().toString();
                refreshTokens.put(rt, subject);
                body.put("refresh_token", rt);
            }
            reply(ex, 200, body.toString());
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String jwt(String subject, List<String> scopes) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            ObjectNode header = Json.MAPPER.createObjectNode();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
            long now = Instant.now().getEpochSecond();
            ObjectNode claims = Json.MAPPER.createObjectNode();
            claims.put("iss", ISSUER);
            claims.put("sub", subject == null ? "" : subject);
            claims.put("aud", SERVICE);
            claims.put("exp", now + expiresInSeconds);
            claims.put("nbf", now - 10);
            claims.put("iat", now);
            claims.put("jti", UUID.randomUUID().toString());
            ArrayNode access = claims.putArray("access");
            for (String scope : scopes) {
                // type:name:actions, where a name may itself contain ':' only for a registry host, never here
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first < 0 || last == first) {
                    continue;
                }
                ObjectNode a = access.addObject();
                a.put("type", scope.substring(0, first));
                a.put("name", scope.substring(first + 1, last));
                ArrayNode actions = a.putArray("actions");
                for (String action : scope.substring(last + 1).split(",")) {
                    actions.add(action);
                }
            }
            String signingInput = b64.encodeToString(Json.MAPPER.writeValueAsBytes(header)) + "."
                    + b64.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(key);
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(sig.sign());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign test token", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
