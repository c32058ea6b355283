package dev.berth.engine.client;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.berth.engine.client.model.SystemVersion;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineClientTest {
    @TempDir
    Path dir;

    private FakeEngine engine;
    private EngineClient client;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.unix(dir.resolve("engine.sock"));
        client = EngineClient.create(engine.endpoint());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        engine.close();
    }

    // ------------------------------------------------------------ version negotiation

    @Test
    void usesTheEnginesVersionWhenOlderThanOurs() {
        engine.apiVersion("1.41").json("GET", "/images/json", 200, "[]");
        client.listImages();
        assertEquals("1.41", engine.last("GET", "/images/json").version());
        assertEquals("1.41", client.apiVersion());
    }

    @Test
    void capsTheVersionAtOurMaximum() {
        engine.apiVersion("1.51").json("GET", "/images/json", 200, "[]");
        client.listImages();
        assertEquals("1.47", engine.last("GET", "/images/json").version());
    }

    @Test
    void assumesTheOldestVersionWhenTheEngineNamesNone() {
        engine.apiVersion(null).json("GET", "/images/json", 200, "[]");
        client.listImages();
        assertEquals("1.24", engine.last("GET", "/images/json").version());
    }

    @Test
    void negotiatesOnceAndPinnedVersionsSkipThePing() {
        engine.json("GET", "/images/json", 200, "[]");
        client.listImages();
        client.listImages();
        assertEquals(1, engine.requests().stream().filter(r -> r.path().equals("/_ping")).count());

        try (EngineClient pinned = EngineClient.builder(engine.endpoint()).apiVersion("1.44").build()) {
            pinned.listImages();
        }
        assertEquals(1, engine.requests().stream().filter(r -> r.path().equals("/_ping")).count());
        assertEquals("1.44", engine.last("GET", "/images/json").version());
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(EngineClient.compareVersions("1.9", "1.10") < 0);
        assertEquals("1.9", EngineClient.negotiate("1.9"));
        assertEquals("1.47", EngineClient.negotiate("2.0"));
    }

    @Test
    void pingReadsTheHeaders() {
        var ping = client.ping();
        assertEquals("1.47", ping.apiVersion());
        assertEquals("linux", ping.osType());
        assertEquals("FakeEngine/1.0 (linux)", ping.server());
        assertNull(engine.last("GET", "/_ping").version(), "ping must be unversioned");
    }

    // ------------------------------------------------------------ typed answers

    @Test
    void listImagesSendsDockersQueryAndReadsSummaries() {
        engine.json("GET", "/images/json", 200, """
                [{"Id":"sha256:aaa","ParentId":"","RepoTags":["busybox:latest"],"RepoDigests":["busybox@sha256:bbb"],
                  "Created":1700000000,"Size":4261234,"SharedSize":-1,"Labels":null,"Containers":2,
                  "Manifests":[{"ID":"x"}],"SomethingNew":{"a":1}}]""");
        List<ImageSummary> images = client.listImages(true, Filters.of("dangling", "true"), true);

        FakeEngine.Recorded r = engine.last("GET", "/images/json");
        assertEquals("1", r.query("all"));
        assertEquals("1", r.query("digests"));
        assertEquals("{\"dangling\":{\"true\":true}}", r.query("filters"));
        assertEquals(1, images.size());
        ImageSummary img = images.getFirst();
        assertEquals("sha256:aaa", img.id());
        assertEquals(List.of("busybox:latest"), img.repoTags());
        assertEquals(List.of("busybox@sha256:bbb"), img.repoDigests());
        assertEquals(1700000000L, img.created());
        assertEquals(4261234L, img.size());
        assertEquals(-1L, img.sharedSize());
        assertEquals(2L, img.containers());
        assertTrue(img.labels().isEmpty(), "null labels read as empty");
    }

    @Test
    void defaultListSendsNoOptionalParameters() {
        engine.json("GET", "/images/json", 200, "[]");
        client.listImages();
        FakeEngine.Recorded r = engine.last("GET", "/images/json");
        assertTrue(r.query().isEmpty(), "got " + r.query());
        assertTrue(r.header("User-Agent").startsWith("Berth-Client/"));
    }

    @Test
    void inspectReadsTheTypedShapeAndRawKeepsEverything() throws IOException {
        String body = """
                {"Id":"sha256:abc","RepoTags":["busybox:latest"],"RepoDigests":[],"Created":"2024-01-02T03:04:05.123456789Z",
                 "Config":{"Cmd":["sh"],"Env":["PATH=/bin"],"Labels":{"a":"b"}},"Architecture":"amd64","Os":"linux",
                 "Size":2155778,"RootFS":{"Type":"layers","Layers":["sha256:l1"]},"Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"},
                 "Future":{"x":[1,2]}}""";
        engine.json("GET", "/images/(.+)/json", 200, body);

        ImageInspect img = client.inspectImage("busybox");
        assertEquals("sha256:abc", img.id());
        assertEquals(List.of("sh"), img.config().cmd());
        assertEquals("b", img.config().labels().get("a"));
        assertEquals(List.of("sha256:l1"), img.rootFs().layers());
        assertEquals(2155778L, img.size());
        assertEquals("/images/busybox/json", engine.last("GET", "/images/(.+)/json").path());

        JsonNode raw = Json.MAPPER.readTree(client.inspectImageRaw("busybox"));
        assertEquals(2, raw.get("Future").get("x").size(), "raw inspect keeps fields the typed model does not know");
    }

    @Test
    void namesWithRegistryAndDigestKeepTheirSlashesAndColons() {
        engine.json("GET", "/images/(.+)/json", 200, "{\"Id\":\"x\"}");
        client.inspectImage("localhost:5000/team/app@sha256:" + "a".repeat(64));
        assertEquals("/images/localhost:5000/team/app@sha256:" + "a".repeat(64) + "/json",
                engine.last("GET", "/images/(.+)/json").path());
    }

    @Test
    void historyParses() {
        engine.json("GET", "/images/(.+)/history", 200, """
                [{"Id":"sha256:top","Created":1700000000,"CreatedBy":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","Tags":["busybox:latest"],"Size":0,"Comment":""},
                 {"Id":"<missing>","Created":1690000000,"CreatedBy":"ADD file:abc in / ","Tags":null,"Size":4261234,"Comment":"base"}]""");
        List<ImageHistoryItem> h = client.imageHistory("busybox");
        assertEquals(2, h.size());
        assertEquals("<missing>", h.get(1).id());
        assertEquals(4261234L, h.get(1).size());
        assertEquals("base", h.get(1).comment());
        assertTrue(h.get(1).tags().isEmpty());
    }

    @Test
    void tagNormalisesTheTargetLikeDockersClient() {
        engine.on("POST", "/images/(.+)/tag", x -> x.respond(201, null, new byte[0]));
        client.tagImage("busybox", "me/app:v1");
        FakeEngine.Recorded r = engine.last("POST", "/images/(.+)/tag");
        assertEquals("/images/busybox/tag", r.path());
        assertEquals("docker.io/me/app", r.query("repo"));
        assertEquals("v1", r.query("tag"));

        client.tagImage("busybox", "localhost:5000/app");
        r = engine.last("POST", "/images/(.+)/tag");
        assertEquals("localhost:5000/app", r.query("repo"));
        assertEquals("latest", r.query("tag"));
    }

    @Test
    void tagRefusesDigestsAndBadNamesWithoutCallingTheEngine() {
        int before = engine.requests().size();
        BerthException e = assertThrows(BerthException.class, () -> client.tagImage("busybox", "app@sha256:" + "a".repeat(64)));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
        assertEquals("refusing to create a tag with a digest reference", e.getMessage());
        e = assertThrows(BerthException.class, () -> client.tagImage("busybox", "Busybox:1"));
        assertTrue(e.getMessage().startsWith("Error parsing reference: \"Busybox:1\" is not a valid repository/tag"), e.getMessage());
        assertEquals(before, engine.requests().stream().filter(r -> !r.path().equals("/_ping")).count());
    }

    @Test
    void removeReadsUntaggedAndDeletedInOrder() {
        engine.json("DELETE", "/images/(.+)", 200, """
                [{"Untagged":"busybox:latest"},{"Untagged":"busybox@sha256:bbb"},{"Deleted":"sha256:aaa"},{"Deleted":"sha256:layer"}]""");
        List<ImageDeleteResponseItem> items = client.removeImage("busybox", true, true);
        assertEquals(4, items.size());
        assertEquals("busybox:latest", items.get(0).untagged());
        assertNull(items.get(0).deleted());
        assertEquals("sha256:aaa", items.get(2).deleted());
        FakeEngine.Recorded r = engine.last("DELETE", "/images/(.+)");
        assertEquals("1", r.query("force"));
        assertEquals("1", r.query("noprune"));
    }

    @Test
    void pruneSendsFiltersAndReadsTheReport() {
        engine.json("POST", "/images/prune", 200, """
                {"ImagesDeleted":[{"Untagged":"x:1"},{"Deleted":"sha256:1"}],"SpaceReclaimed":12345}""");
        ImagePruneReport report = client.pruneImages(Filters.of("dangling", "false"));
        assertEquals(12345L, report.spaceReclaimed());
        assertEquals(2, report.imagesDeleted().size());
        assertEquals("{\"dangling\":{\"false\":true}}", engine.last("POST", "/images/prune").query("filters"));
    }

    @Test
    void pruneWithNothingDeletedReadsNullAsEmpty() {
        engine.json("POST", "/images/prune", 200, "{\"ImagesDeleted\":null,\"SpaceReclaimed\":0}");
        assertTrue(client.pruneImages(null).imagesDeleted().isEmpty());
    }

    @Test
    void versionAndDiskUsageParse() {
        engine.json("GET", "/version", 200, """
                {"Platform":{"Name":"Berth"},"Components":[{"Name":"Engine","Version":"0.1.0","Details":{"ApiVersion":"1.47"}}],
                 "Version":"0.1.0","ApiVersion":"1.47","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}""");
        SystemVersion v = client.version();
        assertEquals("Berth", v.platform().name());
        assertEquals("1.47", v.components().getFirst().details().get("ApiVersion"));
        assertEquals("1.24", v.minApiVersion());

        engine.json("GET", "/system/df", 200, """
                {"LayersSize":100,"Images":[{"Id":"sha256:a","Size":100,"SharedSize":0,"Containers":1,"Created":1}],
                 "Containers":[{"Id":"c1","State":"running","SizeRw":7}],"Volumes":[{"Name":"v","UsageData":{"Size":5,"RefCount":0}}],
                 "BuildCache":[]}""");
        DiskUsage du = client.diskUsage();
        assertEquals(100L, du.layersSize());
        assertEquals(1L, du.images().getFirst().containers());
        assertEquals(7L, du.containers().getFirst().sizeRw());
        assertEquals(5L, du.volumes().getFirst().usageData().size());
        assertTrue(du.buildCache().isEmpty());
    }

    @Test
    void authPostsTheCredentialsAndReadsTheToken() throws IOException {
        engine.json("POST", "/auth", 200, "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"tok\"}");
        AuthResponse response = client.auth(AuthConfig.basic("me", "secret", "localhost:5000"));
        assertEquals("Login Succeeded", response.status());
        assertEquals("tok", response.identityToken());

        FakeEngine.Recorded r = engine.last("POST", "/auth");
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        JsonNode sent = Json.MAPPER.readTree(r.body());
        assertEquals("me", sent.get("username").asText());
        assertEquals("secret", sent.get("password").asText());
        assertEquals("localhost:5000", sent.get("serveraddress").asText());
        assertFalse(sent.has("identitytoken"), "empty fields are left out, as docker leaves them out");
    }

    @Test
    void authWithNoContentStillSucceeds() {
        engine.on("POST", "/auth", x -> x.respond(204, null, new byte[0]));
        assertEquals("Login Succeeded", client.auth(AuthConfig.basic("me", "pw", "r")).status());
    }

    @Test
    void authConfigsRoundTripThroughTheHeaderEncoding() {
        AuthConfig auth = AuthConfig.basic("me", "p@ss/w+rd?", "https://index.docker.io/v1/");
        String header = auth.encode();
        assertFalse(header.contains("+") || header.contains("/"), "base64url has neither + nor /");
        assertEquals(auth, AuthConfig.decode(header));
        assertEquals("e30=", AuthConfig.ANONYMOUS.encode(), "anonymous is {} as docker sends it");
        assertFalse(auth.toString().contains("p@ss"), "toString must not leak the password");
    }

    // ------------------------------------------------------------ errors

    @ParameterizedTest
    @CsvSource({
            "400, INVALID_ARGUMENT", "401, UNAUTHORIZED", "403, FORBIDDEN", "404, NOT_FOUND", "409, CONFLICT",
            "500, SYSTEM", "501, NOT_IMPLEMENTED", "503, UNAVAILABLE", "502, SYSTEM"})
    void statusCodesMapToCategoriesAndKeepTheEnginesMessage(int status, ErrorCategory category) {
        engine.json("GET", "/images/(.+)/json", status, "{\"message\":\"No such image: nope:latest\"}");
        EngineApiException e = assertThrows(EngineApiException.class, () -> client.inspectImage("nope"));
        assertEquals(category, e.category());
        assertEquals(status, e.statusCode());
        assertEquals("No such image: nope:latest", e.getMessage());
        assertFalse(e.fromStream());
    }

    @Test
    void plainTextAndEmptyErrorBodiesStillSaySomething() {
        engine.on("GET", "/info", x -> x.respond(500, "text/plain", "disk on fire\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("disk on fire", assertThrows(EngineApiException.class, () -> client.info()).getMessage());

        engine.on("GET", "/info", x -> x.respond(503, null, new byte[0]));
        EngineApiException e = assertThrows(EngineApiException.class, () -> client.info());
        assertEquals("503 Service Unavailable", e.getMessage());
        assertEquals(ErrorCategory.UNAVAILABLE, e.category());
    }

    @Test
    void anErrorAnswerDoesNotPoisonTheConnection() {
        engine.json("GET", "/images/(.+)/json", 404, "{\"message\":\"No such image: a\"}");
        engine.json("GET", "/images/json", 200, "[]");
        assertThrows(EngineApiException.class, () -> client.inspectImage("a"));
        assertTrue(client.listImages().isEmpty());
        assertEquals(1, engine.connectionsAccepted(), "the error body was consumed, so the connection was reused");
    }

    @Test
    void aMissingSocketIsUnavailableAndNamesTheSocket() {
        Path missing = dir.resolve("nobody-home.sock");
        try (EngineClient c = EngineClient.create(EngineEndpoint.unix(missing))) {
            BerthException e = assertThrows(BerthException.class, c::listImages);
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertEquals("Cannot connect to the Berth engine at unix://" + missing + ". Is the daemon running?", e.getMessage());
        }
    }

    @Test
    void aStaleSocketFileIsUnavailableToo() throws IOException {
        Path stale = dir.resolve("stale.sock");
        var s = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        s.bind(java.net.UnixDomainSocketAddress.of(stale));
        s.close();
        assertTrue(Files.exists(stale));
        try (EngineClient c = EngineClient.create(EngineEndpoint.unix(stale))) {
            BerthException e = assertThrows(BerthException.class, c::info);
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertTrue(e.getMessage().contains("unix://" + stale), e.getMessage());
        }
    }

    @Test
    void permissionDeniedIsWordedAsSuch() {
        Path sock = dir.resolve("root-only.sock");
        IOException wrapped = new java.net.ConnectException("Failed to connect to api.moby.localhost/127.0.0.1:80");
        wrapped.initCause(UnixSocketFactory.classify(sock, new java.net.BindException("Permission denied")));
        try (EngineClient c = EngineClient.create(EngineEndpoint.unix(sock))) {
            BerthException e = c.connectionError(wrapped);
            assertEquals(ErrorCategory.FORBIDDEN, e.category());
            assertTrue(e.getMessage().startsWith("permission denied while trying to connect to the Berth engine at unix://" + sock),
                    e.getMessage());
        }
    }

    @Test
    void aClosedTcpPortIsUnavailable() throws IOException {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (EngineClient c = EngineClient.create(EngineEndpoint.tcp("127.0.0.1", port))) {
            BerthException e = assertThrows(BerthException.class, c::info);
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertEquals("Cannot connect to the Berth engine at tcp://127.0.0.1:" + port + ". Is the daemon running?", e.getMessage());
        }
    }

    // ------------------------------------------------------------ streams

    @Test
    void pullStreamsTypedProgressAndSendsTheAuthHeader() {
        engine.on("POST", "/images/create", x -> {
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}");
            x.line(out, "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1024,\"total\":4096},\"progress\":\"[=>  ]\",\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Digest: sha256:ddd\"}");
            x.line(out, "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}");
        });
        List<JsonMessage> messages = new ArrayList<>();
        try (MessageStream<JsonMessage> stream = client.pullImage("busybox", "Linux/AMD64", AuthConfig.basic("u", "p", "docker.io"))) {
            stream.forEachRemaining(messages::add);
        }
        assertEquals(6, messages.size());
        JsonMessage downloading = messages.get(2);
        assertEquals("abc123", downloading.id());
        assertEquals(1024L, downloading.progressDetail().current());
        assertEquals(4096L, downloading.progressDetail().total());
        assertTrue(messages.get(1).progressDetail() != null, "an empty progressDetail is still present");
        assertNull(messages.get(0).progressDetail());

        FakeEngine.Recorded r = engine.last("POST", "/images/create");
        assertEquals("docker.io/library/busybox", r.query("fromImage"));
        assertEquals("latest", r.query("tag"));
        assertEquals("linux/amd64", r.query("platform"));
        AuthConfig sent = AuthConfig.decode(r.header("X-Registry-Auth"));
        assertEquals("u", sent.username());
        assertEquals("p", sent.password());
    }

    @Test
    void pullByDigestSendsTheDigestAsTheTag() {
        engine.on("POST", "/images/create", x -> x.stream(200, "application/json"));
        String digest = "sha256:" + "b".repeat(64);
        client.pullImage("localhost:5000/app@" + digest, null, null).close();
        FakeEngine.Recorded r = engine.last("POST", "/images/create");
        assertEquals("localhost:5000/app", r.query("fromImage"));
        assertEquals(digest, r.query("tag"));
        assertEquals("e30=", r.header("X-Registry-Auth"), "anonymous pulls still send {}");
    }

    @Test
    void anErrorLineEndsTheStreamAsAnException() {
        engine.on("POST", "/images/create", x -> {
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"abc\"}");
            x.line(out, "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}");
            x.line(out, "{\"status\":\"never seen\"}");
        });
        List<JsonMessage> seen = new ArrayList<>();
        MessageStream<JsonMessage> stream = client.pullImage("busybox:nope", null, null);
        EngineApiException e = assertThrows(EngineApiException.class, () -> stream.forEachRemaining(seen::add));
        assertEquals("manifest unknown", e.getMessage());
        assertTrue(e.fromStream());
        assertEquals(ErrorCategory.SYSTEM, e.category());
        assertEquals(1, seen.size(), "messages before the error are delivered");
        assertFalse(stream.hasNext());
    }

    @Test
    void anErrorCodeInAStreamCarriesItsCategory() {
        engine.on("POST", "/images/(.+)/push", x -> {
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"errorDetail\":{\"code\":401,\"message\":\"authentication required\"}}");
        });
        EngineApiException e = assertThrows(EngineApiException.class,
                () -> client.pushImage("localhost:5000/app:1.0", null).forEachRemaining(m -> { }));
        assertEquals(ErrorCategory.UNAUTHORIZED, e.category());
        FakeEngine.Recorded r = engine.last("POST", "/images/(.+)/push");
        assertEquals("/images/localhost:5000/app/push", r.path());
        assertEquals("1.0", r.query("tag"));
    }

    @Test
    void pushRefusesDigests() {
        BerthException e = assertThrows(BerthException.class, () -> client.pushImage("app@sha256:" + "c".repeat(64), null));
        assertEquals("cannot push a digest reference", e.getMessage());
    }

    @Test
    void aPullRejectedUpFrontIsAnApiError() {
        engine.json("POST", "/images/create", 404,
                "{\"message\":\"pull access denied for nope, repository does not exist or may require 'docker login'\"}");
        EngineApiException e = assertThrows(EngineApiException.class, () -> client.pullImage("nope", null, null));
        assertEquals(404, e.statusCode());
        assertEquals(ErrorCategory.NOT_FOUND, e.category());
    }

    @Test
    void saveStreamsTheTarIntoTheOutput() throws IOException {
        byte[] tar = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(tar);
        engine.on("GET", "/images/get", x -> {
            OutputStream out = x.stream(200, "application/x-tar");
            for (int off = 0; off < tar.length; off += 100_000) {
                out.write(tar, off, Math.min(100_000, tar.length - off));
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = client.saveImages(List.of("busybox", "alpine:3"), out);
        assertEquals(tar.length, n);
        assertArrayEquals(tar, out.toByteArray());
        assertEquals(List.of("busybox", "alpine:3"), engine.last("GET", "/images/get").query().get("names"));
    }

    @Test
    void loadSendsTheTarAndStreamsTheMessages() {
        byte[] tar = new byte[2 * 1024 * 1024];
        new Random(3).nextBytes(tar);
        engine.on("POST", "/images/load", x -> {
            byte[] got = x.body();
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"stream\":\"Loaded image: busybox:latest (" + got.length + " bytes)\\n\"}");
        });
        List<JsonMessage> messages = new ArrayList<>();
        client.loadImages(new ByteArrayInputStream(tar), -1, true).forEachRemaining(messages::add);
        assertEquals("Loaded image: busybox:latest (" + tar.length + " bytes)\n", messages.getFirst().stream());
        FakeEngine.Recorded r = engine.last("POST", "/images/load");
        assertEquals("1", r.query("quiet"));
        assertEquals("application/x-tar", r.header("Content-Type"));
        assertArrayEquals(tar, r.body());
    }

    /**
     * An engine may answer a load while the tar is still arriving, and its answer may outgrow the
     * socket buffers: the upload must still finish and every byte of both directions arrive.
     */
    @Test
    void aLongAnswerStreamsWhileTheRequestBodyIsStillBeingWritten() {
        int upload = 24 * 1024 * 1024;
        int lines = 20_000; // about 2 MB of answer, several times the socket buffers
        engine.on("POST", "/images/load", x -> {
            AtomicLong received = new AtomicLong();
            InputStream body = x.bodyStream();
            CompletableFuture<Long> drained = UnixSocketFactoryTest.async(() -> {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = body.read(buf)) >= 0; ) {
                    received.addAndGet(n);
                }
                return received.get();
            });
            OutputStream out = x.stream(200, "application/json");
            for (int i = 0; i < lines; i++) {
                x.line(out, "{\"status\":\"Loading layer\",\"id\":\"l" + i + "\",\"progressDetail\":{\"current\":" + i + ",\"total\":" + lines + "},\"pad\":\"" + "x".repeat(40) + "\"}");
            }
            x.line(out, "{\"stream\":\"received " + drained.get(60, TimeUnit.SECONDS) + "\"}");
        });
        InputStream tar = new InputStream() {
            private int left = upload;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        List<JsonMessage> messages = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> client.loadImages(tar, upload, false).forEachRemaining(messages::add));
        assertEquals(lines + 1, messages.size());
        assertEquals("received " + upload, messages.getLast().stream());
    }

    @Test
    void eventsStreamLiveUntilClosedFromAnotherThread() throws Exception {
        CountDownLatch clientLeft = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<String> filters = new java.util.concurrent.atomic.AtomicReference<>();
        engine.on("GET", "/events", x -> {
            filters.set(x.query("filters"));
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"busybox:latest\",\"Attributes\":{\"name\":\"busybox\"}},\"scope\":\"local\",\"time\":1700000000,\"timeNano\":1700000000000000000}");
            x.line(out, "{\"Type\":\"image\",\"Action\":\"tag\",\"Actor\":{\"ID\":\"sha256:a\"},\"time\":1700000001}");
            // Stay open as a live engine does; only the client leaving ends this.
            clientLeft.await(10, TimeUnit.SECONDS);
        });
        MessageStream<EventMessage> events = client.events(null, null, Filters.of("type", "image"));
        EventMessage first = events.next();
        EventMessage second = events.next();
        assertEquals("pull", first.action());
        assertEquals("busybox", first.actor().attributes().get("name"));
        assertEquals(1700000000000000000L, first.timeNano());
        assertEquals("tag", second.action());
        assertEquals("{\"type\":{\"image\":true}}", filters.get());

        CompletableFuture<Boolean> waiting = UnixSocketFactoryTest.async(events::hasNext);
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "a live stream blocks until the next event");
        events.close();
        assertFalse(waiting.get(5, TimeUnit.SECONDS), "closing from another thread ends the stream cleanly");
        clientLeft.countDown();
    }

    @Test
    void reusesOneConnectionForSequentialCalls() {
        engine.json("GET", "/images/json", 200, "[]");
        for (int i = 0; i < 5; i++) {
            client.listImages();
        }
        assertEquals(1, engine.connectionsAccepted());
    }

    @Test
    void worksOverTcp() throws IOException {
        try (FakeEngine tcp = FakeEngine.tcp(); EngineClient c = EngineClient.create(tcp.endpoint())) {
            tcp.json("GET", "/images/json", 200, "[{\"Id\":\"sha256:t\",\"RepoTags\":[\"t:1\"]}]");
            assertEquals("sha256:t", c.listImages().getFirst().id());
            assertEquals("1.47", tcp.last("GET", "/images/json").version());
        }
    }
}
