package dev.berth.engine.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.engine.client.model.AuthResponse;
import dev.berth.engine.client.model.DiskUsage;
import dev.berth.engine.client.model.EventMessage;
import dev.berth.engine.client.model.ImageDeleteResponseItem;
import dev.berth.engine.client.model.ImageHistoryItem;
import dev.berth.engine.client.model.ImageInspect;
import dev.berth.engine.client.model.ImagePruneReport;
import dev.berth.engine.client.model.ImageSummary;
import dev.berth.engine.client.model.JsonMessage;
import dev.berth.engine.client.model.Ping;
import dev.berth.engine.client.model.SystemInfo;
import dev.berth.engine.client.model.SystemVersion;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A client of the Docker Engine API, for Berth's engine or any other that speaks the API (Docker,
 * Podman). It talks over a Unix socket or plain TCP, negotiates the API version on first use
 * ({@code GET /_ping}, then the lower of {@value #MAX_API_VERSION} and the engine's), and turns every
 * failure into a {@link BerthException}: non-2xx answers into an {@link EngineApiException} whose
 * category follows the status code, an unreachable engine into {@link ErrorCategory#UNAVAILABLE}.
 *
 * <p>Thread-safe; one instance is meant to be shared. Streaming calls return a {@link MessageStream}
 * or an {@link InputStream} that the caller must close.
 */
public final class EngineClient implements AutoCloseable {
    /** The newest API version whose shapes this client reads. */
    public static final String MAX_API_VERSION = "1.47";
    /** What an engine that sends no {@code Api-Version} is assumed to speak, as docker's client assumes. */
    public static final String FALLBACK_API_VERSION = "1.24";
    /** The client's version, sent in the User-Agent. */
    public static final String CLIENT_VERSION = "0.1.0";

    private static final MediaType JSON = MediaType.get("application/json");
    /** The Host used over a Unix socket; docker's client uses the same placeholder. */
    private static final String UNIX_HOST = "api.moby.localhost";
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final EngineEndpoint endpoint;
    private final OkHttpClient http;
    private final EngineTls tls;
    private final HttpUrl base;
    private final String userAgent;
    private final Consumer<String> debug;
    private volatile String apiVersion;

    private EngineClient(Builder b) {
        this.endpoint = b.endpoint;
        this.userAgent = b.userAgent;
        this.debug = b.debug;
        this.apiVersion = b.apiVersion;
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                // Plain HTTP only (the engine's socket, or tcp://): with no TLS spec OkHttp skips
                // loading the trust store and TLS providers, about 100 ms of every CLI start.
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .connectTimeout(b.connectTimeout)
                // Pulls, pushes and event streams stay silent for as long as they like; a read
                // timeout would cut them. Callers cancel by closing the stream instead.
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .followRedirects(false);
        if (endpoint.isUnix()) {
            http.socketFactory(new UnixSocketFactory(endpoint.socketPath()))
                    .proxy(Proxy.NO_PROXY)
                    // The host name is a placeholder: never resolve it, the socket factory ignores it.
                    .dns(hostname -> List.of(InetAddress.getByAddress(hostname, new byte[] {127, 0, 0, 1})));
            this.base = new HttpUrl.Builder().scheme("http").host(UNIX_HOST).build();
        } else if (b.tls != null) {
            http.connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.COMPATIBLE_TLS))
                    .sslSocketFactory(b.tls.context().getSocketFactory(), b.tls.trustManager());
            if (!b.tls.verify()) {
                http.hostnameVerifier((host, session) -> true);
            }
            this.base = new HttpUrl.Builder().scheme("https").host(endpoint.host()).port(endpoint.port()).build();
        } else {
            this.base = new HttpUrl.Builder().scheme("http").host(endpoint.host()).port(endpoint.port()).build();
        }
        this.tls = endpoint.isUnix() ? null : b.tls;
        this.http = http.build();
    }

    public static EngineClient create(EngineEndpoint endpoint) {
        return builder(endpoint).build();
    }

    public static Builder builder(EngineEndpoint endpoint) {
        return new Builder(endpoint);
    }

    /** Options of a client; all optional. */
    public static final class Builder {
        private final EngineEndpoint endpoint;
        private String apiVersion;
        private String userAgent = "Berth-Client/" + CLIENT_VERSION + " (linux)";
        private Consumer<String> debug = s -> { };
        private Duration connectTimeout = Duration.ofSeconds(10);
        private EngineTls tls;

        private Builder(EngineEndpoint endpoint) {
            this.endpoint = java.util.Objects.requireNonNull(endpoint, "endpoint");
        }

        /** Pins the API version (as {@code DOCKER_API_VERSION} does) instead of negotiating it. */
        public Builder apiVersion(String version) {
            if (version != null && !version.isBlank()) {
                if (!version.matches("\\d+\\.\\d+")) {
                    throw BerthException.invalid("invalid API version \"" + version + "\": expected MAJOR.MINOR, such as 1.47");
                }
                this.apiVersion = version;
            }
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        /** Receives one line per request and response, for {@code --debug}. */
        public Builder debugLog(Consumer<String> debug) {
            this.debug = debug == null ? s -> { } : debug;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public EngineClient build() {
            return new EngineClient(this);
        }

        /** TLS for a {@code tcp://} engine (ignored for a Unix socket); null for plain HTTP. */
        public Builder tls(EngineTls tls) {
            this.tls = tls;
            return this;
        }
    }

    public EngineEndpoint endpoint() {
        return endpoint;
    }

    // ---------------------------------------------------------------- version negotiation

    /** The API version requests use; negotiated with the engine on first use. */
    public String apiVersion() {
        String v = apiVersion;
        if (v == null) {
            synchronized (this) {
                if (apiVersion == null) {
                    apiVersion = negotiate(ping().apiVersion());
                }
                v = apiVersion;
            }
        }
        return v;
    }

    /** The lower of {@link #MAX_API_VERSION} and what the engine offers; the fallback when it offers nothing. */
    public static String negotiate(String serverVersion) {
        return ApiVersions.negotiate(serverVersion);
    }

    /** Compares dotted versions numerically: {@code 1.9 < 1.10}. */
    public static int compareVersions(String a, String b) {
        return ApiVersions.compare(a, b);
    }

    // ---------------------------------------------------------------- system

    /**
     * {@code GET /_ping}, unversioned. An engine that answers with an error but still names its API
     * version counts as reachable, as docker's client treats it.
     */
    public Ping ping() {
        Request request = new Request.Builder().url(base.newBuilder().addPathSegment("_ping").build())
                .header("User-Agent", userAgent).get().build();
        Response response = call(http.newCall(request));
        try (response) {
            String version = response.header("Api-Version");
            if (!response.isSuccessful() && version == null) {
                throw apiError(response);
            }
            return new Ping(version, response.header("Ostype"), "true".equalsIgnoreCase(response.header("Docker-Experimental")),
                    response.header("Builder-Version"), response.header("Server"));
        }
    }

    /** {@code GET /version}. */
    public SystemVersion version() {
        return getJson(url("version"), Json.MAPPER.readerFor(SystemVersion.class));
    }

    /** {@code GET /version} as the engine sent it, for output that must keep every field. */
    public byte[] versionRaw() {
        return getBytes(url("version"));
    }

    /** {@code GET /info}. */
    public SystemInfo info() {
        return getJson(url("info"), Json.MAPPER.readerFor(SystemInfo.class));
    }

    /** {@code GET /info} as the engine sent it. */
    public byte[] infoRaw() {
        return getBytes(url("info"));
    }

    /** {@code GET /system/df}. */
    public DiskUsage diskUsage() {
        return getJson(url("system", "df"), Json.MAPPER.readerFor(DiskUsage.class));
    }

    /** {@code GET /system/df} as the engine sent it. */
    public byte[] diskUsageRaw() {
        return getBytes(url("system", "df"));
    }

    /**
     * {@code GET /events}: a live stream of events, until {@code until} (when given) or until closed.
     *
     * @param since  a Unix timestamp or date, or null
     * @param until  likewise, or null to keep the stream open
     * @param filters may be null or empty
     */
    public MessageStream<EventMessage> events(String since, String until, Filters filters) {
        HttpUrl.Builder url = url("events");
        if (since != null && !since.isBlank()) {
            url.addQueryParameter("since", since);
        }
        if (until != null && !until.isBlank()) {
            url.addQueryParameter("until", until);
        }
        addFilters(url, filters);
        Call call = http.newCall(get(url));
        return stream(call, send(call), EventMessage.class, e -> null);
    }

    /** {@code POST /auth}: checks credentials against a registry, through the engine. */
    public AuthResponse auth(AuthConfig auth) {
        Request request = post(url("auth"), jsonBody(auth), null);
        try (Response response = send(request)) {
            byte[] body = response.body().bytes();
            if (body.length == 0) {
                // 204: the engine checked the credentials and has nothing to add.
                return new AuthResponse("Login Succeeded", null);
            }
            return Json.MAPPER.readValue(body, AuthResponse.class);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    // ---------------------------------------------------------------- images

    /** {@code GET /images/json} with default options. */
    public List<ImageSummary> listImages() {
        return listImages(false, null, false);
    }

    /**
     * {@code GET /images/json}.
     *
     * @param all     include intermediate images
     * @param filters {@code reference}, {@code dangling}, {@code label}, {@code before}, {@code since}, ...
     * @param digests ask for {@code RepoDigests} (older engines only send them when asked)
     */
    public List<ImageSummary> listImages(boolean all, Filters filters, boolean digests) {
        HttpUrl.Builder url = url("images", "json");
        if (all) {
            url.addQueryParameter("all", "1");
        }
        addFilters(url, filters);
        if (digests) {
            url.addQueryParameter("digests", "1");
        }
        return getJson(url, Json.MAPPER.readerForListOf(ImageSummary.class));
    }

    /**
     * {@code GET /images/json} as the engine sent it. The CLI reads this with a streaming parser:
     * binding records costs a cold process more than the whole request.
     */
    public byte[] listImagesRaw(boolean all, Filters filters, boolean digests) {
        HttpUrl.Builder url = url("images", "json");
        if (all) {
            url.addQueryParameter("all", "1");
        }
        addFilters(url, filters);
        if (digests) {
            url.addQueryParameter("digests", "1");
        }
        return getBytes(url);
    }

    /** {@code GET /images/{name}/json}. */
    public ImageInspect inspectImage(String nameOrId) {
        return getJson(url("images", requireName(nameOrId), "json"), Json.MAPPER.readerFor(ImageInspect.class));
    }

    /** {@code GET /images/{name}/json} as the engine sent it, for {@code inspect} output that keeps every field. */
    public byte[] inspectImageRaw(String nameOrId) {
        return getBytes(url("images", requireName(nameOrId), "json"));
    }

    /** {@code GET /images/{name}/history}, newest layer first. */
    public List<ImageHistoryItem> imageHistory(String nameOrId) {
        return getJson(url("images", requireName(nameOrId), "history"), Json.MAPPER.readerForListOf(ImageHistoryItem.class));
    }

    /** {@code GET /images/{name}/history} as the engine sent it. */
    public byte[] imageHistoryRaw(String nameOrId) {
        return getBytes(url("images", requireName(nameOrId), "history"));
    }

    /**
     * Tags {@code source} as {@code target}, parsing the target as docker's client does: normalised
     * ({@code busybox} becomes {@code docker.io/library/busybox}), {@code latest} when no tag, and
     * never a digest.
     */
    public void tagImage(String source, String target) {
        ImageReference ref;
        try {
            ref = ImageReference.parseNormalizedNamed(target);
        } catch (BerthException e) {
            throw BerthException.invalid("Error parsing reference: \"" + target + "\" is not a valid repository/tag: "
                    + e.getMessage());
        }
        if (ref.digest().isPresent()) {
            throw BerthException.invalid("refusing to create a tag with a digest reference");
        }
        tagImage(source, ref.name(), ref.tag().orElse(ImageReference.DEFAULT_TAG));
    }

    /** {@code POST /images/{name}/tag?repo=&tag=}. */
    public void tagImage(String source, String repository, String tag) {
        HttpUrl.Builder url = url("images", requireName(source), "tag").addQueryParameter("repo", repository);
        if (tag != null && !tag.isEmpty()) {
            url.addQueryParameter("tag", tag);
        }
        send(post(url, emptyBody(), null)).close();
    }

    /**
     * {@code DELETE /images/{name}}: what was untagged and what was deleted, in the engine's order.
     *
     * @param force   remove even if tagged in several repositories or used by stopped containers
     * @param noPrune keep untagged parents
     */
    public List<ImageDeleteResponseItem> removeImage(String nameOrId, boolean force, boolean noPrune) {
        HttpUrl.Builder url = url("images", requireName(nameOrId));
        if (force) {
            url.addQueryParameter("force", "1");
        }
        if (noPrune) {
            url.addQueryParameter("noprune", "1");
        }
        Request request = new Request.Builder().url(url.build()).header("User-Agent", userAgent).delete().build();
        return readJson(send(request), Json.MAPPER.readerForListOf(ImageDeleteResponseItem.class));
    }

    /** {@code POST /images/prune}; {@code dangling=false} in the filters prunes every unused image. */
    public ImagePruneReport pruneImages(Filters filters) {
        HttpUrl.Builder url = url("images", "prune");
        addFilters(url, filters);
        return readJson(send(post(url, emptyBody(), null)), Json.MAPPER.readerFor(ImagePruneReport.class));
    }

    /**
     * {@code POST /images/create?fromImage=&tag=}: pulls {@code reference} (a tag, {@code latest} by
     * default, or a digest) and streams the engine's progress.
     *
     * @param platform {@code os[/arch[/variant]]}, or null for the engine's own
     * @param auth     credentials for the registry, or {@link AuthConfig#ANONYMOUS}
     */
    public MessageStream<JsonMessage> pullImage(String reference, String platform, AuthConfig auth) {
        ImageReference ref = parseReference(reference);
        HttpUrl.Builder url = url("images", "create").addQueryParameter("fromImage", ref.name())
                .addQueryParameter("tag", ref.digest().map(Object::toString).orElse(ref.tag().orElse(ImageReference.DEFAULT_TAG)));
        if (platform != null && !platform.isBlank()) {
            url.addQueryParameter("platform", platform.strip().toLowerCase());
        }
        Call call = http.newCall(post(url, emptyBody(), auth == null ? AuthConfig.ANONYMOUS : auth));
        return progress(call, send(call));
    }

    /** {@code POST /images/{name}/push?tag=}: pushes one tag ({@code latest} by default) and streams progress. */
    public MessageStream<JsonMessage> pushImage(String reference, AuthConfig auth) {
        ImageReference ref = parseReference(reference);
        if (ref.digest().isPresent()) {
            throw BerthException.invalid("cannot push a digest reference");
        }
        HttpUrl.Builder url = url("images", ref.name(), "push")
                .addQueryParameter("tag", ref.tag().orElse(ImageReference.DEFAULT_TAG));
        Call call = http.newCall(post(url, emptyBody(), auth == null ? AuthConfig.ANONYMOUS : auth));
        return progress(call, send(call));
    }

    /** {@code GET /images/get?names=}: a tar of the images, which the caller must close. */
    public InputStream saveImages(List<String> names) {
        if (names.isEmpty()) {
            throw BerthException.invalid("no images to save");
        }
        HttpUrl.Builder url = url("images", "get");
        names.forEach(n -> url.addQueryParameter("names", requireName(n)));
        Call call = http.newCall(get(url));
        Response response = send(call);
        return new java.io.FilterInputStream(response.body().byteStream()) {
            @Override
            public void close() {
                // Cancelling first makes a close from another thread wake a blocked reader.
                call.cancel();
                response.close();
            }
        };
    }

    /** Streams {@code GET /images/get?names=} into {@code out}; returns the bytes written. */
    public long saveImages(List<String> names, OutputStream out) {
        try (InputStream in = saveImages(names)) {
            return in.transferTo(out);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /**
     * {@code POST /images/load}: sends a docker-archive or OCI-layout tar, streaming it from
     * {@code tar} (which stays open), and streams the engine's messages ({@code Loaded image: ...}).
     *
     * @param length the tar's size, or -1 when unknown (then it is sent chunked)
     */
    public MessageStream<JsonMessage> loadImages(InputStream tar, long length, boolean quiet) {
        HttpUrl.Builder url = url("images", "load");
        if (quiet) {
            url.addQueryParameter("quiet", "1");
        }
        RequestBody body = new TarUpload(tar, length, total -> { });
        Call call = http.newCall(post(url, body, null));
        Response response = send(call);
        String type = response.header("Content-Type", "");
        if (!type.contains("json")) {
            // Old engines answered with plain text; keep it as one message so callers see it.
            try (response) {
                String text = response.body().string();
                byte[] asJson = Json.MAPPER.writeValueAsBytes(JsonMessage.ofStream(text));
                return new MessageStream<>(new ByteArrayInputStream(asJson), () -> { }, JsonMessage.class,
                        EngineClient::streamError, endpoint.uri());
            } catch (IOException e) {
                throw readFailure(e);
            }
        }
        return progress(call, response);
    }

    // ---------------------------------------------------------------- plumbing

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw BerthException.invalid("an image name or ID is required");
        }
        return name;
    }

    private static ImageReference parseReference(String reference) {
        return ImageReference.parseNormalizedNamed(requireName(reference).strip());
    }

    HttpUrl.Builder url(String... parts) {
        HttpUrl.Builder url = base.newBuilder().addPathSegment("v" + apiVersion());
        for (String part : parts) {
            url.addPathSegments(part);
        }
        return url;
    }

    static void addFilters(HttpUrl.Builder url, Filters filters) {
        if (filters != null && !filters.isEmpty()) {
            url.addQueryParameter("filters", filters.toJson());
        }
    }

    Request get(HttpUrl.Builder url) {
        return new Request.Builder().url(url.build()).header("User-Agent", userAgent).get().build();
    }

    Request post(HttpUrl.Builder url, RequestBody body, AuthConfig auth) {
        Request.Builder b = new Request.Builder().url(url.build()).header("User-Agent", userAgent).post(body);
        if (auth != null) {
            b.header("X-Registry-Auth", auth.encode());
        }
        return b.build();
    }

    static RequestBody emptyBody() {
        return RequestBody.create(new byte[0], null);
    }

    static RequestBody jsonBody(Object value) {
        try {
            return RequestBody.create(Json.MAPPER.writeValueAsBytes(value), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode request", e);
        }
    }

    <T> T getJson(HttpUrl.Builder url, ObjectReader reader) {
        return readJson(send(get(url)), reader);
    }

    byte[] getBytes(HttpUrl.Builder url) {
        try (Response response = send(get(url))) {
            return response.body().bytes();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    <T> T readJson(Response response, ObjectReader reader) {
        try (response) {
            return reader.readValue(response.body().byteStream());
        } catch (JsonProcessingException e) {
            throw new BerthException(ErrorCategory.SYSTEM, "unreadable answer from the engine at " + endpoint.uri()
                    + " to " + response.request().method() + " " + response.request().url().encodedPath() + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private MessageStream<JsonMessage> progress(Call call, Response response) {
        return stream(call, response, JsonMessage.class, EngineClient::streamError);
    }

    <T> MessageStream<T> stream(Call call, Response response, Class<T> type, Function<T, BerthException> errorOf) {
        ResponseBody body = response.body();
        // Once its answer has begun, OkHttp's dispatcher no longer knows the call: close() finds it
        // here (the stream's first read, in MessageStream's constructor, may already block).
        streams.add(call);
        if (closed) {
            call.cancel();
        }
        // Cancelling the call closes the socket, which is what wakes a reader blocked on another
        // thread; closing the body alone is not safe while another thread reads it.
        return new MessageStream<>(body.byteStream(), () -> {
            streams.remove(call);
            call.cancel();
            response.close();
        }, type, errorOf, endpoint.uri());
    }

    /** Message streams open now; see {@link #close()}. */
    private final java.util.Set<Call> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private static BerthException streamError(JsonMessage message) {
        if (!message.isError()) {
            return null;
        }
        int code = message.errorDetail() == null ? 0 : message.errorDetail().code();
        return EngineApiException.fromStream(code, message.errorMessage());
    }

    /** Sends a request and fails with an {@link EngineApiException} on a non-2xx answer. */
    Response send(Request request) {
        return send(http.newCall(request));
    }

    Response send(Call call) {
        Response response = call(call);
        if (!response.isSuccessful()) {
            try (response) {
                throw apiError(response);
            }
        }
        return response;
    }

    /** Sends a request; only transport failures throw. */
    Response call(Call call) {
        Request request = call.request();
        try {
            Response response = call.execute();
            debug.accept(request.method() + " " + request.url().encodedPath()
                    + (request.url().encodedQuery() == null ? "" : "?" + request.url().encodedQuery())
                    + " -> " + response.code());
            return response;
        } catch (IOException e) {
            debug.accept(request.method() + " " + request.url().encodedPath() + " failed: " + e);
            throw connectionError(e);
        }
    }

    /** The engine's {@code {"message": ...}}, else its text, else the status line. */
    EngineApiException apiError(Response response) {
        String message = null;
        try {
            okio.BufferedSource source = response.body().source();
            source.request(MAX_ERROR_BODY);
            long n = Math.min(source.getBuffer().size(), MAX_ERROR_BODY);
            message = errorMessage(source.getBuffer().readString(n, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // The body is only decoration: with none, the status line below still says what failed.
        }
        if (message == null || message.isEmpty()) {
            message = (response.code() + " " + response.message()).strip();
        }
        return new EngineApiException(response.code(), message);
    }

    static String errorMessage(String body) {
        String text = body.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode node = Json.MAPPER.readTree(text);
                JsonNode m = node.get("message");
                if (m != null && m.isTextual()) {
                    return m.asText().strip();
                }
            } catch (JsonProcessingException e) {
                // Not JSON after all: show the text as the engine sent it.
            }
        }
        return text;
    }

    /** Words a transport failure: which engine, and whether it is missing, refusing, or forbidden. */
    BerthException connectionError(IOException e) {
        // OkHttp wraps the socket's own failure in a ConnectException of its own: look past it first.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnixSocketFactory.ConnectFailure f) {
                if (f.reason() == UnixSocketFactory.Reason.PERMISSION_DENIED) {
                    return new BerthException(ErrorCategory.FORBIDDEN, "permission denied while trying to connect to the Berth"
                            + " engine at " + endpoint.uri() + ": this user may not use the socket (run as root, or ask"
                            + " for access to " + endpoint.socketPath() + ")", e);
                }
                return cannotConnect(e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return cannotConnect(e);
            }
        }
        return new BerthException(ErrorCategory.UNAVAILABLE, "error talking to the Berth engine at " + endpoint.uri() + ": "
                + e.getMessage(), e);
    }

    private BerthException cannotConnect(IOException e) {
        return new BerthException(ErrorCategory.UNAVAILABLE,
                "Cannot connect to the Berth engine at " + endpoint.uri() + ". Is the daemon running?", e);
    }

    BerthException readFailure(IOException e) {
        return new BerthException(ErrorCategory.UNAVAILABLE, "lost the connection to the engine at " + endpoint.uri() + ": "
                + e.getMessage(), e);
    }

    /**
     * Cancels calls still in flight, message streams included (such as {@code /events}, which the
     * engine may answer only with its first event), and releases pooled connections, so a client
     * that is switched away from cannot answer late. (Only synchronous calls are made, so there is no
     * dispatcher thread pool to stop.)
     */
    @Override
    public void close() {
        closed = true;
        http.dispatcher().cancelAll();
        streams.forEach(Call::cancel);
        http.connectionPool().evictAll();
    }

    // ---------------------------------------------------------------- containers, volumes, networks

    /** The container and exec endpoints. */
    public ContainerClient containers() {
        return new ContainerClient(this);
    }

    /** The {@code /volumes} endpoints. */
    public VolumeClient volumes() {
        return new VolumeClient(this);
    }

    /** The {@code /networks} endpoints. */
    public NetworkClient networks() {
        return new NetworkClient(this);
    }

    OkHttpClient http() {
        return http;
    }

    String userAgent() {
        return userAgent;
    }

    Request delete(HttpUrl.Builder url) {
        return new Request.Builder().url(url.build()).header("User-Agent", userAgent).delete().build();
    }

    Request put(HttpUrl.Builder url, RequestBody body) {
        return new Request.Builder().url(url.build()).header("User-Agent", userAgent).put(body).build();
    }

    void debugLine(String line) {
        debug.accept(line);
    }

    /** TLS for the engine's TCP endpoint, or null. */
    EngineTls tls() {
        return tls;
    }

    /** {@code POST /build} and {@code /build/prune}. */
    public BuildClient builds() {
        return new BuildClient(this);
    }

    /**
     * {@code POST /images/create?fromSrc=…}: docker import. {@code tarball} is sent as the body when
     * {@code fromSrc} is "-"; for a URL the engine downloads it and {@code tarball} is null.
     */
    public MessageStream<JsonMessage> importImage(InputStream tarball, long length, String fromSrc, String repo,
                                                  String message, java.util.List<String> changes, String platform) {
        HttpUrl.Builder url = url("images", "create").addQueryParameter("fromSrc", fromSrc);
        if (repo != null && !repo.isEmpty()) {
            url.addQueryParameter("repo", repo);
        }
        if (message != null && !message.isEmpty()) {
            url.addQueryParameter("message", message);
        }
        if (platform != null && !platform.isEmpty()) {
            url.addQueryParameter("platform", platform.toLowerCase(java.util.Locale.ROOT));
        }
        changes.forEach(c -> url.addQueryParameter("changes", c));
        RequestBody body = tarball == null ? RequestBody.create(new byte[0]) : new TarUpload(tarball, length, total -> { });
        Call call = http.newCall(post(url, body, null));
        return progress(call, send(call));
    }

    /** {@code GET /images/search}: the engine asks the term's registry index; the raw JSON array. */
    public byte[] searchImagesRaw(String term, int limit, String filtersJson, AuthConfig auth) {
        HttpUrl.Builder url = url("images", "search").addQueryParameter("term", term);
        if (limit > 0) {
            url.addQueryParameter("limit", Integer.toString(limit));
        }
        if (filtersJson != null) {
            url.addQueryParameter("filters", filtersJson);
        }
        Request.Builder rq = get(url).newBuilder();
        if (auth != null) {
            rq.header("X-Registry-Auth", auth.encode());
        }
        try (Response response = send(rq.build())) {
            return response.body().bytes();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }
}
