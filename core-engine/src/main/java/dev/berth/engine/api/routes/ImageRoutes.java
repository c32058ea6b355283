package dev.berth.engine.api.routes;

import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.JsonMessageStream;
import dev.berth.engine.api.Route;
import dev.berth.engine.images.ImageArchives;
import dev.berth.engine.images.ImageImporter;
import dev.berth.engine.images.ImageSearch;
import dev.berth.engine.images.ImportDownload;
import dev.berth.engine.images.ImagePuller;
import dev.berth.engine.images.ImagePusher;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.api.RegistryAuthHeader;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Platform;
import dev.berth.registry.Credential;
import dev.berth.registry.LoginResult;
import dev.berth.registry.RegistryClient;
import dev.berth.registry.RegistryHosts;
import dev.berth.registry.RegistryOptions;
import java.util.LinkedHashMap;
import java.util.Map;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The image resource of the Docker API: HTTP in, {@link ImageService} calls, HTTP out. */
public final class ImageRoutes {
    private final ImageService images;
    private final ImageArchives archives;
    private final ImagePuller puller;
    private final ImagePusher pusher;
    private final RegistryOptions registryOptions;
    /**
     * One per daemon, made at the first search: its HttpClients (a selector thread and an epoll fd each)
     * live as long as it does, and a daemon that never searches should not pay the ~15 MB they load.
     */
    private volatile ImageSearch search;

    public ImageRoutes(Engine engine) {
        this.images = engine.images();
        this.archives = new ImageArchives(images);
        this.registryOptions = engine.registryOptions();
        this.puller = new ImagePuller(images, registryOptions);
        this.pusher = new ImagePusher(images, registryOptions);
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/images/json", this::list),
                Route.of("POST", "/images/create", this::create),
                Route.of("POST", "/images/{name}/push", this::push),
                Route.of("POST", "/auth", this::auth),
                Route.of("POST", "/images/prune", (rq, rs) -> rs.json(200, images.prune(Filters.parse(rq.query("filters"))))),
                Route.of("GET", "/images/{name}/json", (rq, rs) -> rs.json(200, images.inspect(rq.pathParam("name")))),
                Route.of("GET", "/images/{name}/history", (rq, rs) -> rs.json(200, images.history(rq.pathParam("name")))),
                Route.of("POST", "/images/{name}/tag", this::tag),
                Route.of("GET", "/images/get", (rq, rs) -> save(rq.queryAll("names"), rs)),
                Route.of("GET", "/images/{name}/get", (rq, rs) -> save(List.of(rq.pathParam("name")), rs)),
                Route.of("POST", "/images/load", this::load),
                Route.of("DELETE", "/images/{name}", this::remove),
                Route.of("GET", "/images/search", this::search));
    }

    private void list(ApiRequest rq, ApiResponse rs) throws IOException {
        rs.json(200, images.list(Filters.parse(rq.query("filters")), rq.queryBool("all")));
    }

    /** {@code POST /images/create}: a pull ({@code fromImage}, {@code tag}) or, with {@code fromSrc}, an import from the body or a URL. */
    private void create(ApiRequest rq, ApiResponse rs) throws Exception {
        String from = rq.query("fromImage");
        if (from == null || from.isEmpty()) {
            if (rq.query("fromSrc") != null) {
                importImage(rq, rs);
                return;
            }
            throw BerthException.invalid("fromImage is required");
        }
        String tag = rq.query("tag", "");
        ImageReference ref = ImageReference.parseNormalizedNamed(from);
        if (!tag.isEmpty()) {
            ref = tag.startsWith("sha256:") || tag.contains(":") ? ref.repositoryOnly().withDigest(Digest.parse(tag))
                    : ref.withTag(tag);
        } else if (ref.tag().isEmpty() && ref.digest().isEmpty()) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "pulling all tags of a repository is not supported;"
                    + " name a tag");
        }
        Platform platform = rq.query("platform", "").isEmpty() ? Platform.host() : Platform.parse(rq.query("platform"));
        Credential credential = RegistryAuthHeader.decode(rq.header("X-Registry-Auth"));
        ImageReference target = ref;
        JsonMessageStream.serve(rs, out -> puller.pull(target, platform, credential, out::send));
    }

    /** {@code POST /images/create?fromSrc=-|URL}: docker import (moby's postImagesCreate, import branch). */
    private void importImage(ApiRequest rq, ApiResponse rs) throws Exception {
        String src = rq.query("fromSrc");
        String message = rq.query("message", "");
        var request = new ImageImporter.Request(rq.query("repo", ""), rq.query("tag", ""),
                message.isEmpty() ? "Imported from " + src : message, rq.queryAll("changes"),
                rq.query("platform", "").isEmpty() ? null : Platform.parse(rq.query("platform")));
        ImageImporter importer = new ImageImporter(images);
        if ("-".equals(src)) {
            JsonMessageStream.serve(rs, out -> out.status(importer.importImage(rq.body(), request).toString()));
            return;
        }
        java.net.URI uri = ImportDownload.uri(src);
        JsonMessageStream.serve(rs, out -> {
            importer.check(request);
            // Downloaded before the import takes the content lock: a stalled server must not block rmi or prune.
            Path file = ImportDownload.download(uri, images.blobs().root().resolve("tmp"),
                    ImportDownload.idleTimeout());
            try (var body = Files.newInputStream(file)) {
                out.status("Downloading from " + uri);
                out.status(importer.importImage(body, request).toString());
            } finally {
                Files.deleteIfExists(file);
            }
        });
    }

    private ImageSearch search() {
        ImageSearch s = search;
        if (s == null) {
            synchronized (this) {
                s = search;
                if (s == null) {
                    search = s = new ImageSearch(registryOptions);
                }
            }
        }
        return s;
    }

    /** {@code GET /images/search?term=&limit=&filters=}: docker search, through the term's registry index. */
    private void search(ApiRequest rq, ApiResponse rs) throws IOException {
        int limit;
        try {
            limit = Integer.parseInt(rq.query("limit", "25"));
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid limit " + rq.query("limit"));
        }
        Credential credential = RegistryAuthHeader.decode(rq.header("X-Registry-Auth"));
        rs.json(200, search().search(rq.query("term", ""), limit,
                Filters.parse(rq.query("filters")), credential));
    }

    private void push(ApiRequest rq, ApiResponse rs) throws Exception {
        Credential credential = RegistryAuthHeader.decode(rq.header("X-Registry-Auth"));
        String name = rq.pathParam("name");
        String tag = rq.query("tag", "");
        JsonMessageStream.serve(rs, out -> pusher.push(name, tag, credential, out::send));
    }

    /** {@code POST /auth}: checks credentials against the registry; storing them is the client's job. */
    private void auth(ApiRequest rq, ApiResponse rs) throws IOException {
        AuthRequest body = rq.bodyAs(AuthRequest.class);
        String registry = RegistryHosts.fromServerAddress(body.serverAddress());
        LoginResult result = RegistryClient.login(registry, body.username(), body.password(), registryOptions);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("Status", result.status());
        answer.put("IdentityToken", result.identityToken() == null ? "" : result.identityToken());
        rs.json(200, answer);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AuthRequest(@JsonProperty("username") String username, @JsonProperty("password") String password,
                       @JsonProperty("serveraddress") String serverAddress) {
    }

    private void save(List<String> names, ApiResponse rs) throws IOException {
        archives.save(names, () -> rs.stream(200, "application/x-tar"));
    }

    private void load(ApiRequest rq, ApiResponse rs) throws Exception {
        JsonMessageStream.serve(rs, out -> archives.load(rq.body(), line -> out.stream(line + "\n")));
    }

    private void tag(ApiRequest rq, ApiResponse rs) throws IOException {
        images.tag(rq.pathParam("name"), rq.query("repo"), rq.query("tag"));
        rs.empty(201);
    }

    private void remove(ApiRequest rq, ApiResponse rs) throws IOException {
        var items = images.remove(rq.pathParam("name"), rq.queryBool("force"), !rq.queryBool("noprune"));
        rs.json(200, items.stream().map(ImageService.DeleteItem::toJson).toList());
    }
}
