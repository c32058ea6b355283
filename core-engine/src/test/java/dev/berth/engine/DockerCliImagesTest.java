package dev.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
import dev.berth.registry.ResolvedImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real docker CLI against the Berth daemon and the reference registry: pull, images, inspect,
 * history, tag, login, push, rmi, save and load, as a user would type them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerCliImagesTest {
    static TestDaemon daemon;
    static LocalRegistry open;
    static LocalRegistry basic;
    static ImageFixture image;
    static String ref;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        Processes.requireBinary("docker-registry");
        Processes.requireBinary("busybox");
        daemon = TestDaemon.start();
        open = LocalRegistry.start(LocalRegistry.Mode.OPEN);
        basic = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
        image = TestImages.busybox(TestImages.Options.defaults().withWhiteout());
        ref = open.push(image, "e2e/busybox:1.0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (open != null) {
            open.close();
        }
        if (basic != null) {
            basic.close();
        }
    }

    static Processes.Result docker(String... args) {
        return Processes.docker(daemon.host(), config, args);
    }

    static JsonNode inspect(String name) throws Exception {
        return Json.MAPPER.readTree(docker("image", "inspect", name).assertOk().stdout()).get(0);
    }

    @Test
    @Order(1)
    void pullShowsDockersProgressAndStoresTheImage() throws Exception {
        var r = docker("pull", ref).assertOk();
        assertTrue(r.stdout().contains("1.0: Pulling from " + open.host() + "/e2e/busybox"), r.stdout());
        assertTrue(r.stdout().contains("Pull complete"), r.stdout());
        assertTrue(r.stdout().contains("Digest: " + image.digest()), r.stdout());
        assertTrue(r.stdout().contains("Status: Downloaded newer image for " + ref), r.stdout());

        JsonNode inspect = inspect(ref);
        assertEquals(image.configDigest().toString(), inspect.path("Id").asText());
        assertEquals(ref, inspect.path("RepoTags").get(0).asText());
        assertEquals(open.host() + "/e2e/busybox@" + image.digest(), inspect.path("RepoDigests").get(0).asText());
        List<String> layers = new ArrayList<>();
        inspect.path("RootFS").path("Layers").forEach(l -> layers.add(l.asText()));
        assertEquals(image.diffIds().stream().map(Digest::toString).toList(), layers);
        assertEquals("amd64", inspect.path("Architecture").asText());

        Path busybox = daemon.dataRoot().resolve("layers").resolve(image.diffIds().getFirst().hex()).resolve("bin/busybox");
        assertTrue(Files.isExecutable(busybox), "layer unpacked with its modes: " + busybox);
    }

    @Test
    @Order(2)
    void pullingAgainIsUpToDate() {
        var r = docker("pull", ref).assertOk();
        assertTrue(r.stdout().contains("Status: Image is up to date for " + ref), r.stdout());
    }

    @Test
    @Order(3)
    void imagesListsWithDockersColumns() {
        var r = docker("images", "--format", "{{.Repository}}|{{.Tag}}|{{.ID}}").assertOk();
        assertTrue(r.stdout().contains(open.host() + "/e2e/busybox|1.0|" + image.configDigest().shortHex()), r.stdout());
        var q = docker("images", "-q").assertOk();
        assertEquals(image.configDigest().shortHex(), q.stdout().trim());
    }

    @Test
    @Order(4)
    void historyListsNewestFirst() {
        var r = docker("history", "--no-trunc", "--format", "{{.ID}}", ref).assertOk();
        assertEquals(image.configDigest().toString(), r.stdout().lines().findFirst().orElse(""));
    }

    @Test
    @Order(5)
    void tagAndUntag() throws Exception {
        docker("tag", ref, "mytag:v1").assertOk();
        assertEquals(image.configDigest().toString(), inspect("mytag:v1").path("Id").asText());
        var r = docker("rmi", "mytag:v1").assertOk();
        assertEquals("Untagged: mytag:v1", r.stdout().trim());
        assertEquals(1, docker("image", "inspect", "mytag:v1").exitCode());
        assertEquals(image.configDigest().toString(), inspect(ref).path("Id").asText(), "other tags untouched");
    }

    @Test
    @Order(6)
    void eventsAndDiskUsageReportImages() {
        long until = System.currentTimeMillis() / 1000 + 1;
        var events = docker("events", "--since", "0", "--until", Long.toString(until), "--filter", "type=image",
                "--format", "{{.Action}} {{.Actor.Attributes.name}}").assertOk();
        assertTrue(events.stdout().contains("tag mytag:v1"), events.stdout());
        assertTrue(events.stdout().contains("untag mytag:v1"), events.stdout());
        assertTrue(events.stdout().contains("pull "), events.stdout());
        var df = docker("system", "df", "--format", "{{.Type}} {{.TotalCount}}").assertOk();
        assertTrue(df.stdout().contains("Images 1"), df.stdout());
    }

    @Test
    @Order(7)
    void loginThenPushToAnAuthenticatedRegistry() throws Exception {
        var denied = docker("push", basic.host() + "/nope/x:1");
        assertEquals(1, denied.exitCode());
        assertTrue(denied.stderr().contains("An image does not exist locally with the tag"), denied.stderr());

        var badLogin = Processes.run(Map.of("DOCKER_HOST", daemon.host(), "DOCKER_CONFIG", config.toString()),
                "wrong\n".getBytes(), 60, "docker", "login", "-u", LocalRegistry.USER, "--password-stdin", basic.host());
        assertEquals(1, badLogin.exitCode(), badLogin.stdout());

        var login = Processes.run(Map.of("DOCKER_HOST", daemon.host(), "DOCKER_CONFIG", config.toString()),
                (LocalRegistry.PASSWORD + "\n").getBytes(), 60, "docker", "login", "-u", LocalRegistry.USER,
                "--password-stdin", basic.host()).assertOk();
        assertTrue(login.stdout().contains("Login Succeeded"), login.stdout());

        String target = basic.host() + "/team/copy:2.0";
        docker("tag", ref, target).assertOk();
        var push = docker("push", target).assertOk();
        assertTrue(push.stdout().contains("The push refers to repository [" + basic.host() + "/team/copy]"), push.stdout());
        assertTrue(push.stdout().contains("2.0: digest: sha256:"), push.stdout());

        ResolvedImage pushed = basic.client().resolve(ImageReference.parse(target), dev.berth.images.manifest.Platform.host());
        assertEquals(image.configDigest(), pushed.image().config().digest(), "the registry has our image");
        assertTrue(inspect(target).path("RepoDigests").toString().contains(basic.host() + "/team/copy@" + pushed.digest()));
    }

    @Test
    @Order(8)
    void saveRemoveLoadRoundTrip() throws Exception {
        Path archive = work.resolve("busybox.tar");
        docker("save", "-o", archive.toString(), ref).assertOk();
        assertTrue(Files.size(archive) > 1_000_000, "busybox is in the archive");
        var rmi = docker("rmi", "-f", image.configDigest().toString()).assertOk();
        assertTrue(rmi.stdout().contains("Deleted: " + image.configDigest()), rmi.stdout());
        assertEquals(1, docker("image", "inspect", ref).exitCode());
        assertFalse(Files.exists(daemon.dataRoot().resolve("layers").resolve(image.diffIds().getFirst().hex())),
                "layers of a deleted image are removed");

        var load = docker("load", "-i", archive.toString()).assertOk();
        assertTrue(load.stdout().contains("Loaded image: " + ref), load.stdout());
        JsonNode inspect = inspect(ref);
        assertEquals(image.configDigest().toString(), inspect.path("Id").asText());
        Path busybox = daemon.dataRoot().resolve("layers").resolve(image.diffIds().getFirst().hex()).resolve("bin/busybox");
        assertTrue(Files.isExecutable(busybox));
    }

    @Test
    @Order(9)
    void errorsAreDockers() {
        var missing = docker("pull", open.host() + "/e2e/busybox:nope");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("manifest unknown") || missing.stderr().contains("not found"), missing.stderr());

        var bad = docker("pull", "UPPER/Case");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("invalid reference format"), bad.stderr());

        var notATar = Processes.run(Map.of("DOCKER_HOST", daemon.host(), "DOCKER_CONFIG", config.toString()),
                "this is not a tar".getBytes(), 60, "docker", "load");
        assertEquals(1, notATar.exitCode());
        assertFalse(notATar.stderr().isBlank());
    }

    @Test
    @Order(10)
    void aHostileLayerFailsThePullNamingTheEntryAndLeavesNothing() throws Exception {
        byte[] hostile = new TestImages.TarBuilder()
                .dir("etc")
                .file("etc/ok", 0644, "fine".getBytes())
                .file("../escaped", 0644, "should never be written".getBytes())
                .build();
        ImageFixture evil = TestImages.fromLayers(List.of(hostile));
        String evilRef = open.push(evil, "e2e/evil:1");

        var r = docker("pull", evilRef);
        assertEquals(1, r.exitCode(), r.stdout());
        assertTrue(r.stderr().contains("\"../escaped\"") && r.stderr().contains("escapes"), r.stderr());
        assertEquals(1, docker("image", "inspect", evilRef).exitCode(), "no half image");
        Path layers = daemon.dataRoot().resolve("layers");
        assertFalse(Files.exists(layers.resolve("escaped")), "nothing written outside the layer");
        try (var s = Files.list(layers)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".staging")), "no staging left");
        }
    }

    @Test
    @Order(10)
    void aLoadThatFailsAtItsSecondLayerTakesBackTheFirst() throws Exception {
        byte[] good = new TestImages.TarBuilder().file("good-" + System.nanoTime(), 0644, "unpacks".getBytes()).build();
        byte[] bad = new TestImages.TarBuilder().file("bad", 0644, "does not match its diff_id".getBytes()).build();
        Digest goodDiffId = Digest.sha256Of(good);
        Digest claimed = Digest.sha256Of("something else".getBytes());
        byte[] imageConfig = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + goodDiffId + "\",\"" + claimed + "\"]}}").getBytes();
        byte[] manifest = ("[{\"Config\":\"config.json\",\"RepoTags\":[\"e2e/half:1\"],"
                + "\"Layers\":[\"good.tar\",\"bad.tar\"]}]").getBytes();
        Path archive = Files.write(work.resolve("half.tar"), new TestImages.TarBuilder()
                .file("config.json", 0644, imageConfig).file("good.tar", 0644, good).file("bad.tar", 0644, bad)
                .file("manifest.json", 0644, manifest).build());

        var r = docker("load", "-i", archive.toString());
        assertEquals(1, r.exitCode(), r.stdout());
        assertTrue(r.stderr().contains(claimed.toString()) || r.stdout().contains(claimed.toString()),
                "the error names the diff_id that did not match: " + r.stderr() + r.stdout());
        assertEquals(1, docker("image", "inspect", "e2e/half:1").exitCode(), "no half image");
        assertFalse(Files.exists(daemon.dataRoot().resolve("layers").resolve(goodDiffId.hex())),
                "the first layer, committed before the second failed, is taken back at once");
        assertFalse(Files.exists(daemon.dataRoot().resolve("content/blobs/sha256").resolve(goodDiffId.hex())),
                "and so is its blob");
    }

    @Test
    @Order(11)
    void restartedDaemonKeepsItsImages() throws Exception {
        daemon.restart();
        assertEquals(image.configDigest().toString(), inspect(ref).path("Id").asText());
    }
}
