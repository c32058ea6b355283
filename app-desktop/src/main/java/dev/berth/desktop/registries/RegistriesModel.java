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
    /**
     * One line of the list. {@code user} is null when signed out; {@code problem} says why the
     * credentials could not be read (a configured helper missing or failing), else null.
     */
    public record Row(SavedRegistry registry, String user, String problem) {
        public Row(SavedRegistry registry, String user) {
            this(registry, user, null);
        }

        public String warning() {
            return registry.insecure() ? "TLS certificates are not checked for this registry" : null;
        }
    }

    private final RegistryList list;
    private final RegistryLogins logins;
    private final CredentialStore credentials;

    private final int pageSize;
    private final HubSearch hubSearch;
    /** Hosts whose catalog was refused at the last browse: their search is by exact name. */
    private final Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RegistriesModel(RegistryList list, EngineClient engine, CredentialStore credentials) {
        this(list, engine, credentials, RegistryBrowser.PAGE_SIZE, HubSearch.dockerHub());
    }

    /** {@code pageSize} repositories or tags per page; {@code hubSearch} answers Docker Hub's search box. */
    RegistriesModel(RegistryList list, EngineClient engine, CredentialStore credentials, int pageSize, HubSearch hubSearch) {
        this.list = list;
        this.credentials = credentials;
        this.logins = new RegistryLogins(engine, credentials);
        this.pageSize = pageSize;
        this.hubSearch = hubSearch;
    }

    public List<Row> rows() {
        // One registry's unreadable credentials (say a copied config naming docker-credential-desktop,
        // absent here) must not empty the whole list: that row says what is wrong instead.
        return list.all().stream().map(r -> {
            try {
                return new Row(r, user(r.host()));
            } catch (BerthException e) {
                return new Row(r, null, e.getMessage());
            }
        }).toList();
    }

    /** Who is signed in to {@code host}, null when nobody is. */
    private String user(String host) {
        return SignedIn.user(credentials, list, host).orElse(null);
    }

    public SavedRegistry add(String typed, boolean insecure) {
        SavedRegistry r = list.add(typed, insecure);
        clients.remove(r.host());
        return r;
    }

    public void remove(String host) {
        clients.remove(host);
        list.remove(host);
    }

    public String signIn(String host, String user, String password) {
        try {
            clients.remove(host);
            String status = plain(host, () -> logins.signIn(host, user, password));
            list.rememberUser(host, user);
            return status;
        } catch (BerthException e) {
            if (e.category() == dev.berth.errors.ErrorCategory.UNAUTHORIZED) {
                // Credentials were sent, so a 401 is always a rejection here, whatever the registry's wording.
                throw new BerthException(e.category(), "The user name or password was not accepted by " + host + "."
                        + (SavedRegistry.DOCKER_HUB.host().equals(host)
                        ? " With two-factor authentication on, use an access token as the password." : ""), e);
            }
            throw e;
        }
    }

    public void signOut(String host) {
        clients.remove(host);
        logins.signOut(host);
        list.rememberUser(host, null);
    }

    /**
     * Someone is waiting on a browse: a few quick tries, and a rate limit's Retry-After is not sat out
     * for minutes (the view says the registry is limiting instead, with the quota left).
     */
    static final dev.berth.registry.RetryPolicy BROWSE_RETRY = new dev.berth.registry.RetryPolicy(3,
            java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(3));

    /** One client per host, so Docker Hub's quota header from the latest reply can be shown. */
    private final java.util.Map<String, RegistryClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

    RegistryClient client(String host) {
        return clients.computeIfAbsent(host, this::newClient);
    }

    private RegistryClient newClient(String host) {
        SavedRegistry r = list.all().stream().filter(x -> x.host().equals(host)).findFirst()
                .orElse(new SavedRegistry(host, false));
        RegistryOptions options = RegistryOptions.defaults().withCredentials(credentials).withRetry(BROWSE_RETRY)
                .withInsecureRegistries(r.insecure() ? Set.of(host) : Set.of());
        return RegistryClient.create(host, options);
    }

    /** The first page of repositories, or the registry's refusal (then {@link #search} looks names up). */
    public RepositoryListing repositories(String host) {
        RepositoryListing l = plain(host, () -> client(host).browser().repositories(pageSize, null));
        if (l instanceof RepositoryListing.Refused) {
            refused.add(host);
        } else {
            refused.remove(host);
        }
        return l;
    }

    /** The next page of repositories, from the {@code Link} the previous page gave. */
    public dev.berth.registry.Page<String> repositoriesAt(String host, String next) {
        return plain(host, () -> ((RepositoryListing.Listed) client(host).browser().repositoriesAt(next)).page());
    }

    public List<String> search(String host, String query, RepositorySearch search) {
        return plain(host, () -> search.search(query, 50));
    }

    /**
     * The search box: over the catalog where the registry lists it; where it refuses, the name typed is
     * looked up (its tag list answers or not), and Docker Hub's own search adds what it finds.
     */
    public List<String> search(String host, String query) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty()) {
            return List.of();
        }
        if (SavedRegistry.DOCKER_HUB.host().equals(host)) {
            List<String> found;
            try {
                found = hubSearch.search(q, 50);
            } catch (BerthException e) {
                found = List.of();
            }
            // Hub's search ranks by popularity and may miss an exact (or private) name: look that up too.
            String exact = q.contains("/") ? q : "library/" + q;
            if (found.contains(exact.toLowerCase(java.util.Locale.ROOT))) {
                return found;
            }
            List<String> out = new java.util.ArrayList<>(lookUp(host, exact));
            out.addAll(found);
            return out;
        }
        if (refused.contains(host)) {
            return lookUp(host, q);
        }
        return search(host, q, RepositorySearch.overCatalog(client(host)));
    }

    /** {@code [name]} when the registry knows a repository of that exact name, else empty. */
    private List<String> lookUp(String host, String name) {
        String repo = name.toLowerCase(java.util.Locale.ROOT);
        if (!repo.matches("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*")) {
            return List.of();
        }
        try {
            plain(host, () -> client(host).tagsPage(repo, 1, null));
            return List.of(repo);
        } catch (BerthException e) {
            // Docker Hub answers a name that does not exist (or is private) with 401, as docker pull shows.
            if (e.category() == dev.berth.errors.ErrorCategory.NOT_FOUND
                    || e.category() == dev.berth.errors.ErrorCategory.FORBIDDEN
                    || e.category() == dev.berth.errors.ErrorCategory.UNAUTHORIZED && SavedRegistry.DOCKER_HUB.host().equals(host)) {
                return List.of();
            }
            throw e;
        }
    }

    public List<String> tags(String host, String repository) {
        return plain(host, () -> client(host).tags(repository, RegistryBrowser.PAGE_SIZE, null).stream().sorted().toList());
    }

    /** One page of a repository's tags: the first when {@code next} is null, else the page its Link named. */
    public dev.berth.registry.Page<String> tagsPage(String host, String repository, String next) {
        return plain(host, () -> next == null ? client(host).tagsPage(repository, pageSize, null)
                : client(host).tagsPageAt(repository, next));
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

    /** Docker Hub's {@code ratelimit-remaining} from the latest reply of {@code host}, when it sent one. */
    public java.util.Optional<String> rateLimit(String host) {
        RegistryClient c = clients.get(host);
        return c == null ? java.util.Optional.empty() : c.browser().rateLimitRemaining();
    }

    /** The credential store this model signs in with, for the push wizard opened from the view. */
    public CredentialStore credentials() {
        return credentials;
    }

    /** Warning shown next to the "insecure" box: why it is dangerous, or why it is not needed. */
    public static String insecureWarning(String typed, boolean insecure) {
        if (!insecure || typed == null || typed.isBlank()) {
            return "";
        }
        String host;
        try {
            host = RegistryList.normalise(typed);
        } catch (BerthException e) {
            return "";
        }
        if (dev.berth.registry.RegistryHosts.isLoopback(host)) {
            return "Loopback registries already use plain HTTP; \"insecure\" is not needed.";
        }
        return "⚠ TLS certificates of " + host + " will not be checked: anyone on the network path could "
                + "impersonate it and read your credentials. Use this only for a registry you control.";
    }

    /** Pulls through the engine, handing each progress message to {@code progress} (the images view's pull display). */
    public String pullMessages(EngineClient engine, String host, String reference,
                               java.util.function.Consumer<dev.berth.engine.client.model.JsonMessage> progress) {
        try {
            return pullThroughEngine(engine, host, reference, progress);
        } catch (BerthException e) {
            String advice = engineTlsAdvice(e.getMessage(), host, isMarkedInsecure(host));
            if (advice != null) {
                throw new BerthException(e.category(), e.getMessage() + " " + advice, e);
            }
            throw e;
        }
    }

    /**
     * What to do when the engine's pull failed on TLS: the app's "insecure" covers its own browsing only,
     * and a registry answering HTTPS with plain HTTP needs the engine's own setting. Null when neither applies.
     */
    static String engineTlsAdvice(String message, String host, boolean markedInsecure) {
        boolean plainHttp = message != null && message.contains("server gave HTTP response to HTTPS client");
        if (!plainHttp && !markedInsecure) {
            return null;
        }
        return (plainHttp ? "This registry speaks plain HTTP: start the engine" : "The engine checks TLS on its own: start it")
                + " with --insecure-registry " + host
                + " (or list it under \"insecure-registries\" in its daemon.json) to pull from this registry.";
    }

    private boolean isMarkedInsecure(String host) {
        return list.all().stream().anyMatch(r -> r.host().equals(host) && r.insecure());
    }

    private String pullThroughEngine(EngineClient engine, String host, String reference,
                                     java.util.function.Consumer<dev.berth.engine.client.model.JsonMessage> progress) {
        return plain(host, () -> {
            String last = "";
            try (var stream = engine.pullImage(reference, null, logins.authFor(host))) {
                while (stream.hasNext()) {
                    var m = stream.next();
                    progress.accept(m);
                    if (m.isError()) {
                        throw new BerthException(dev.berth.errors.ErrorCategory.UNAVAILABLE, m.errorMessage());
                    }
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
