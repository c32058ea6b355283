package dev.berth.desktop.registries;

import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.RegistryLogins;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.PlainMessages;
import dev.berth.registry.RegistryBrowser;
import dev.berth.registry.RegistryClient;
import dev.berth.registry.RegistryOptions;
import dev.berth.registry.RepositoryListing;
import dev.berth.registry.RepositorySearch;
import dev.berth.registry.TagDetails;

import java.util.List;
import java.util.Set;

/**
 * What the registries view does, without JavaFX: the list, sign-in through the engine, browsing
 * straight from the registry (as the docker CLI's hub browsing does), pulls through the engine.
 * Every method blocks; the view calls them on its background executor. Failures come back as
 * {@link BerthException}s whose message is already plain words.
 */
public final class RegistriesModel {
    /** One line of the list. {@code user} is null when signed out. */
    public record Row(SavedRegistry registry, String user) {
        public String warning() {
            return registry.insecure() ? "TLS certificates are not checked for this registry" : null;
        }
    }

    private final RegistryList list;
    private final RegistryLogins logins;
    private final CredentialStore credentials;

    public RegistriesModel(RegistryList list, EngineClient engine, CredentialStore credentials) {
        this.list = list;
        this.credentials = credentials;
        this.logins = new RegistryLogins(engine, credentials);
    }

    public List<Row> rows() {
        return list.all().stream().map(r -> new Row(r, logins.user(r.host()).orElse(null))).toList();
    }

    public SavedRegistry add(String typed, boolean insecure) {
        return list.add(typed, insecure);
    }

    public void remove(String host) {
        list.remove(host);
    }

    public String signIn(String host, String user, String password) {
        try {
            return plain(host, () -> logins.signIn(host, user, password));
        } catch (BerthException e) {
            if (e.category() == dev.berth.errors.ErrorCategory.UNAUTHORIZED) {
                // Credentials were sent, so a 401 is always a rejection here, whatever the registry's wording.
                throw new BerthException(e.category(), "The user name or password was not accepted by " + host + ".", e);
            }
            throw e;
        }
    }

    public void signOut(String host) {
        logins.signOut(host);
    }

    RegistryClient client(String host) {
        SavedRegistry r = list.all().stream().filter(x -> x.host().equals(host)).findFirst()
                .orElse(new SavedRegistry(host, false));
        RegistryOptions options = RegistryOptions.defaults().withCredentials(credentials)
                .withInsecureRegistries(r.insecure() ? Set.of(host) : Set.of());
        return RegistryClient.create(host, options);
    }

    public RepositoryListing repositories(String host) {
        return plain(host, () -> client(host).browser().repositories(RegistryBrowser.PAGE_SIZE, null));
    }

    public List<String> search(String host, String query, RepositorySearch search) {
        return plain(host, () -> search.search(query, 50));
    }

    public List<String> tags(String host, String repository) {
        return plain(host, () -> client(host).tags(repository, RegistryBrowser.PAGE_SIZE, null).stream().sorted().toList());
    }

    public TagDetails details(String host, String repository, String tag) {
        return plain(host, () -> client(host).browser().details(repository, tag));
    }

    public Digest deleteTag(String host, String repository, String tag) {
        return plain(host, () -> client(host).browser().deleteTag(repository, tag));
    }

    /** What "copy reference" copies: {@code host/repo:tag}, Hub's short form for Docker Hub. */
    public static String reference(String host, String repository, String tag) {
        if (SavedRegistry.DOCKER_HUB.host().equals(host)) {
            return (repository.startsWith("library/") ? repository.substring(8) : repository) + ":" + tag;
        }
        return host + "/" + repository + ":" + tag;
    }

    /** Pulls through the engine with the stored credentials; returns the final status line. */
    public String pull(EngineClient engine, String host, String reference, java.util.function.Consumer<String> progress) {
        return plain(host, () -> {
            String last = "";
            try (var stream = engine.pullImage(reference, null, logins.authFor(host))) {
                while (stream.hasNext()) {
                    var m = stream.next();
                    if (m.isError()) {
                        throw new BerthException(dev.berth.errors.ErrorCategory.UNAVAILABLE, m.errorMessage());
                    }
                    String line = (m.id() == null ? "" : m.id() + ": ") + (m.status() == null ? "" : m.status());
                    progress.accept(line);
                    last = m.status() == null ? last : m.status();
                }
            }
            return last;
        });
    }

    private static <T> T plain(String host, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (BerthException e) {
            throw new BerthException(e.category(), PlainMessages.of(host, e), e);
        }
    }
}
