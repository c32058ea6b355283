package dev.berth.cli.auth;

import dev.berth.engine.client.model.AuthConfig;

/** Where {@code login} keeps registry credentials and where {@code pull} and {@code push} find them. */
public interface CredentialStore {
    /** The key docker files Docker Hub credentials under. */
    String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";

    /** Credentials for the registry that serves {@code registryHost} ({@code docker.io} for Hub); anonymous if none. */
    AuthConfig forRegistry(String registryHost);

    /** Credentials stored for a server address as {@code login} was given it, or null. */
    AuthConfig get(String serverAddress);

    /** Stores credentials under {@link AuthConfig#serverAddress()}. */
    void store(AuthConfig auth);

    /** Forgets credentials stored under {@code serverAddress}; true if there were any. */
    boolean erase(String serverAddress);

    /** docker's {@code ConvertToHostname}: {@code https://host:5000/v2/} becomes {@code host:5000}. */
    static String toHostname(String server) {
        String s = server;
        if (s.startsWith("http://")) {
            s = s.substring(7);
        } else if (s.startsWith("https://")) {
            s = s.substring(8);
        }
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }

    /** The server address credentials for this registry host are filed under. */
    static String serverFor(String registryHost) {
        return registryHost.equals("docker.io") || registryHost.equals("index.docker.io") || registryHost.equals("registry-1.docker.io")
                ? DOCKER_HUB_SERVER : registryHost;
    }
}
