package dev.berth.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a client presents to a registry: a user and password, or an identity (refresh) token from a
 * previous login, or nothing. {@link #toString()} never shows secrets, so a credential can be logged or
 * put in an exception by mistake without leaking.
 */
public record Credential(String username, String password, String identityToken) {
    public static final Credential ANONYMOUS = new Credential(null, null, null);

    public static Credential basic(String username, String password) {
        return new Credential(username, password, null);
    }

    public static Credential identityToken(String username, String token) {
        return new Credential(username, null, token);
    }

    public boolean isAnonymous() {
        return (username == null || username.isEmpty()) && (password == null || password.isEmpty())
                && (identityToken == null || identityToken.isEmpty());
    }

    public boolean hasIdentityToken() {
        return identityToken != null && !identityToken.isEmpty();
    }

    public boolean hasPassword() {
        return username != null && password != null;
    }

    /** The value of a Basic Authorization header. */
    String basicHeader() {
        String pair = (username == null ? "" : username) + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        if (isAnonymous()) {
            return "Credential[anonymous]";
        }
        return "Credential[username=" + username + (hasIdentityToken() ? ", identity token" : ", password") + "]";
    }
}
