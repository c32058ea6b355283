package dev.berth.engine.client;

import dev.berth.engine.client.model.AuthConfig;
import dev.berth.engine.client.model.AuthResponse;
import dev.berth.registry.Credential;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.DockerConfigFile;
import dev.berth.registry.RegistryHosts;

import java.util.Optional;

/**
 * Signing in and out of registries for a front end other than the CLI (the desktop app): the engine
 * checks the credentials ({@code POST /auth}), then they go where the docker CLI keeps them (config.json,
 * or the {@code credsStore}/{@code credHelpers} helper it names). An identity token replaces the
 * password when the registry issues one, as docker does. Nothing here keeps or logs a secret.
 */
public final class RegistryLogins {
    private final EngineClient engine;
    private final CredentialStore store;

    public RegistryLogins(EngineClient engine, CredentialStore store) {
        this.engine = engine;
        this.store = store;
    }

    /** The docker CLI's config in {@code $DOCKER_CONFIG} or {@code ~/.docker}. */
    public static RegistryLogins fromEnvironment(EngineClient engine) {
        return new RegistryLogins(engine, CredentialStore.fromEnvironment());
    }

    /** The server address docker files a registry under: Hub's legacy URL, else host[:port]. */
    public static String serverAddress(String registry) {
        return RegistryHosts.isDockerHub(registry) ? DockerConfigFile.DOCKER_HUB_KEY : registry;
    }

    /**
     * Checks and stores credentials. Docker Hub access tokens work as passwords.
     *
     * @throws dev.berth.errors.BerthException UNAUTHORIZED when the registry rejects them; nothing is
     *                                         stored then
     */
    public String signIn(String registry, String username, String password) {
        AuthConfig auth = AuthConfig.basic(username, password, serverAddress(registry));
        AuthResponse response = engine.auth(auth);
        Credential keep = response.identityToken() != null && !response.identityToken().isEmpty()
                ? Credential.identityToken(username, response.identityToken())
                : Credential.basic(username, password);
        store.store(registry, keep);
        return response.status() == null || response.status().isEmpty() ? "Login Succeeded" : response.status();
    }

    /** Forgets the credentials; false if there were none. */
    public boolean signOut(String registry) {
        return store.erase(registry);
    }

    /** The user signed in to {@code registry}, if any. */
    public Optional<String> user(String registry) {
        Credential c = store.get(registry);
        return c.isAnonymous() ? Optional.empty() : Optional.ofNullable(c.username()).filter(u -> !u.isEmpty());
    }

    /** What to send as {@code X-Registry-Auth} to pull from or push to {@code registry}. */
    public AuthConfig authFor(String registry) {
        Credential c = store.get(registry);
        if (c.isAnonymous()) {
            return AuthConfig.ANONYMOUS;
        }
        return new AuthConfig(c.username(), c.password(), serverAddress(registry), c.identityToken(), null);
    }
}
