package dev.berth.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where credentials for a registry come from. The usual one reads the docker CLI's config, so
 * {@code docker login} and {@code berth login} share logins; tests use {@link #of(Map)}.
 */
public interface CredentialStore {
    /** Credentials for {@code registry} (a host[:port], {@code docker.io} for Docker Hub), or anonymous. */
    Credential get(String registry);

    /** Saves credentials after a successful login. */
    default void store(String registry, Credential credential) {
        throw new UnsupportedOperationException("this credential store is read-only");
    }

    /** Forgets credentials (logout). Returns false if there were none. */
    default boolean erase(String registry) {
        throw new UnsupportedOperationException("this credential store is read-only");
    }

    static CredentialStore anonymous() {
        return registry -> Credential.ANONYMOUS;
    }

    /** Fixed credentials by registry host. */
    static CredentialStore of(Map<String, Credential> byRegistry) {
        Map<String, Credential> copy = Map.copyOf(byRegistry);
        return registry -> copy.getOrDefault(registry, Credential.ANONYMOUS);
    }

    /** The docker CLI's config in {@code $DOCKER_CONFIG} or {@code ~/.docker}, helpers from {@code $PATH}. */
    static CredentialStore fromEnvironment() {
        return dockerConfig(DockerConfigFile.defaultDirectory(), CredentialHelper.systemPath());
    }

    static CredentialStore dockerConfig(Path configDir, List<Path> helperSearchPath) {
        return new DockerConfigCredentials(configDir, helperSearchPath);
    }

    /**
     * Reads and writes {@code config.json} with the CLI's lookup rules: a per-registry
     * {@code credHelpers} entry wins, then {@code credsStore}, then the inline {@code auths} entry.
     * The file is re-read on every call, because {@code docker login} may change it at any time.
     */
    final class DockerConfigCredentials implements CredentialStore {
        private final Path configDir;
        private final List<Path> helperSearchPath;

        DockerConfigCredentials(Path configDir, List<Path> helperSearchPath) {
            this.configDir = configDir;
            this.helperSearchPath = List.copyOf(helperSearchPath);
        }

        @Override
        public Credential get(String registry) {
            DockerConfigFile config = DockerConfigFile.load(configDir);
            String key = serverKey(registry);
            Optional<CredentialHelper> helper = helperFor(config, registry);
            if (helper.isPresent()) {
                return helper.get().get(key).orElse(Credential.ANONYMOUS);
            }
            for (Map.Entry<String, DockerConfigFile.AuthEntry> e : config.auths().entrySet()) {
                if (e.getKey().equals(key) || hostOf(e.getKey()).equals(hostOf(key))) {
                    return e.getValue().toCredential();
                }
            }
            return Credential.ANONYMOUS;
        }

        @Override
        public void store(String registry, Credential credential) {
            DockerConfigFile config = DockerConfigFile.load(configDir);
            String key = serverKey(registry);
            Optional<CredentialHelper> helper = helperFor(config, registry);
            if (helper.isPresent()) {
                helper.get().store(key, credential);
                config.putEmptyAuth(key);
            } else {
                config.putAuth(key, credential);
            }
            save(config);
        }

        @Override
        public boolean erase(String registry) {
            DockerConfigFile config = DockerConfigFile.load(configDir);
            String key = serverKey(registry);
            helperFor(config, registry).ifPresent(h -> h.erase(key));
            boolean removed = config.removeAuth(key);
            if (removed) {
                save(config);
            }
            return removed;
        }

        private Optional<CredentialHelper> helperFor(DockerConfigFile config, String registry) {
            String name = config.credHelpers().get(hostOf(serverKey(registry)));
            if (name == null) {
                name = config.credHelpers().get(registry);
            }
            if (name == null) {
                name = config.credsStore().filter(s -> !s.isEmpty()).orElse(null);
            }
            return name == null ? Optional.empty() : Optional.of(CredentialHelper.find(name, helperSearchPath));
        }

        private static void save(DockerConfigFile config) {
            try {
                config.save();
            } catch (IOException e) {
                throw new UncheckedIOException("saving " + config.path(), e);
            }
        }
    }

    /** The key docker uses in config.json: Docker Hub's legacy URL, else the host as given. */
    static String serverKey(String registry) {
        String host = hostOf(registry);
        if (RegistryHosts.isDockerHub(host)) {
            return DockerConfigFile.DOCKER_HUB_KEY;
        }
        return host;
    }

    /** docker's ConvertToHostname: drop a scheme and any path. */
    static String hostOf(String serverAddress) {
        String s = serverAddress;
        if (s.startsWith("http://")) {
            s = s.substring(7);
        } else if (s.startsWith("https://")) {
            s = s.substring(8);
        }
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }
}
