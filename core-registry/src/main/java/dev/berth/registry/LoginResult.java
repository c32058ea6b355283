package dev.berth.registry;

/**
 * A successful login. {@code identityToken} is the refresh token a token server issued, if any; it
 * can be stored instead of the password, as docker does.
 */
public record LoginResult(String status, String identityToken) {
    public static final String SUCCEEDED = "Login Succeeded";

    @Override
    public String toString() {
        return "LoginResult[" + status + (identityToken == null ? "" : ", identity token") + "]";
    }
}
