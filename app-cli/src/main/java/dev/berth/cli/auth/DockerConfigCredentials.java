package dev.berth.cli.auth;

import dev.berth.engine.client.model.AuthConfig;
import dev.berth.errors.BerthException;
import dev.berth.registry.Credential;
import dev.berth.registry.CredentialHelper;
import dev.berth.registry.RegistryHosts;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The docker CLI's {@code config.json}, with its credential helpers and {@code credsStore}, so that
 * {@code berth login} and {@code docker login} share credentials. The file format and helper protocol
 * live in core-registry; this only speaks the CLI's vocabulary (server addresses, AuthConfig).
 */
public final class DockerConfigCredentials implements CredentialStore {
    private final dev.berth.registry.CredentialStore store;

    public DockerConfigCredentials(Path configDir) {
        this.store = dev.berth.registry.CredentialStore.dockerConfig(configDir, CredentialHelper.systemPath());
    }

    @Override
    public AuthConfig forRegistry(String registryHost) {
        AuthConfig found = toAuthConfig(store.get(registryHost), CredentialStore.serverFor(registryHost));
        return found == null ? AuthConfig.ANONYMOUS : found;
    }

    @Override
    public AuthConfig get(String serverAddress) {
        return toAuthConfig(store.get(RegistryHosts.fromServerAddress(serverAddress)), serverAddress);
    }

    private static AuthConfig toAuthConfig(Credential c, String serverAddress) {
        if (c == null || c.isAnonymous()) {
            return null;
        }
        return new AuthConfig(c.username(), c.password(), serverAddress, c.identityToken(), null);
    }

    @Override
    public void store(AuthConfig auth) {
        Credential c = auth.identityToken() != null && !auth.identityToken().isEmpty()
                ? Credential.identityToken(auth.username(), auth.identityToken())
                : Credential.basic(auth.username(), auth.password());
        try {
            store.store(RegistryHosts.fromServerAddress(auth.serverAddress()), c);
        } catch (BerthException | UncheckedIOException e) {
            throw new BerthException(BerthException.categoryOf(e), "Error saving credentials: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean erase(String serverAddress) {
        return store.erase(RegistryHosts.fromServerAddress(serverAddress));
    }
}
