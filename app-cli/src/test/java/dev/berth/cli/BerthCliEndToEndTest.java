package dev.berth.cli;

import dev.berth.engine.testing.Processes;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.manifest.Platform;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code berth daemon} in its own process, driven by the berth CLI and, for the same state, by the
 * real docker CLI: the image commands end to end against the reference registry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BerthCliEndToEndTest {
    static Process daemon;
    static Path dir;
    static LocalRegistry open;
    static LocalRegistry basic;
    static ImageFixture image;
    static String ref;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        Processes.requireBinary("docker-registry");
        Processes.requireBinary("busybox");
        dir = Files.createTempDirectory(Path.of("/tmp"), "be");
        Path socket = dir.resolve("d.sock");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "daemon", "-H", "unix://" + socket, "--data-root", dir.resolve("data").toString()));
        daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("berth daemon did not start: " + Files.readString(dir.resolve("daemon.log")));
            }
            Thread.sleep(50);
        }
        open = LocalRegistry.start(LocalRegistry.Mode.OPEN);
        basic = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD);
        image = TestImages.busybox();
        ref = open.push(image, "cli/busybox:1.0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
        for (LocalRegistry r : new LocalRegistry[] {open, basic}) {
            if (r != null) {
                r.close();
            }
        }
        if (dir != null) {
            dev.berth.images.layer.LayerDirs.deleteRecursively(dir);
        }
    }

    static CliRun.Result berth(String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", "unix://" + dir.resolve("d.sock")).run(args);
    }

    static CliRun.Result berthWithStdin(String stdin, String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", "unix://" + dir.resolve("d.sock")).stdin(stdin).run(args);
    }

    static String docker(String... args) {
        return Processes.docker("unix://" + dir.resolve("d.sock"), home.resolve(".docker"), args).assertOk().stdout();
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    @Test
    @Order(1)
    void pullPrintsDockersPlainProgress() {
        var r = ok(berth("pull", ref));
        // Docker names a repository on another registry by its full name here.
        assertTrue(r.out().contains("1.0: Pulling from " + open.host() + "/cli/busybox"), r.out());
        assertTrue(r.out().contains("Pull complete"), r.out());
        assertTrue(r.out().contains("Digest: " + image.digest()), r.out());
        assertTrue(r.out().contains("Status: Downloaded newer image for " + ref), r.out());
        assertTrue(r.out().trim().endsWith(ref), "docker ends with the reference: " + r.out());
    }

    @Test
    @Order(2)
    void listingsMatchTheDockerCli() {
        String format = "{{.Repository}} {{.Tag}} {{.ID}} {{.Size}}";
        assertEquals(docker("images", "--format", format), ok(berth("images", "--format", format)).out());
        assertEquals(docker("images", "-q", "--no-trunc"), ok(berth("images", "-q", "--no-trunc")).out());
        assertEquals(docker("image", "inspect", ref), ok(berth("image", "inspect", ref)).out());
        String hist = "{{.ID}} {{.CreatedBy}} {{.Size}}";
        assertEquals(docker("history", "--format", hist, ref), ok(berth("history", "--format", hist, ref)).out());
        assertEquals(image.configDigest() + "\n", ok(berth("image", "inspect", "--format", "{{.Id}}", ref)).out());
    }

    @Test
    @Order(3)
    void loginPushLogout() throws Exception {
        String target = basic.host() + "/team/copy:2.0";
        ok(berth("tag", ref, target));
        var denied = berth("push", target);
        assertEquals(1, denied.status(), denied.toString());
        assertTrue(denied.err().contains("authentication required") || denied.out().contains("authentication required"),
                denied.toString());

        var login = ok(berthWithStdin(LocalRegistry.PASSWORD + "\n", "login", "-u", LocalRegistry.USER, "--password-stdin",
                basic.host()));
        assertTrue(login.out().contains("Login Succeeded"), login.out());
        var config = Json.MAPPER.readTree(home.resolve(".docker/config.json").toFile());
        assertTrue(config.path("auths").has(basic.host()), config.toString());

        var push = ok(berth("push", target));
        assertTrue(push.out().contains("2.0: digest: sha256:"), push.out());
        var pushed = basic.client().resolve(ImageReference.parse(target), Platform.host());
        assertEquals(image.configDigest(), pushed.image().config().digest());

        var logout = ok(berth("logout", basic.host()));
        assertTrue(logout.out().contains("Removing login credentials for " + basic.host()), logout.out());
        assertFalse(Json.MAPPER.readTree(home.resolve(".docker/config.json").toFile()).path("auths").has(basic.host()));
        assertEquals("Untagged: " + target + "\n", ok(berth("rmi", target)).out().lines().findFirst().orElse("") + "\n");
    }

    @Test
    @Order(4)
    void saveRemoveLoad() throws Exception {
        Path archive = home.resolve("img.tar");
        ok(berth("save", "-o", archive.toString(), ref));
        assertTrue(Files.size(archive) > 1_000_000);
        var rmi = ok(berth("rmi", ref));
        assertTrue(rmi.out().contains("Deleted: " + image.configDigest()), rmi.out());
        assertEquals(1, berth("image", "inspect", ref).status());
        var load = ok(berth("load", "-i", archive.toString()));
        assertEquals("Loaded image: " + ref + "\n", load.out());
        assertEquals(image.configDigest() + "\n", ok(berth("image", "inspect", "--format", "{{.Id}}", ref)).out());
    }

    @Test
    @Order(5)
    void loadsAnOciLayoutDirectory() throws Exception {
        ImageFixture oci = TestImages.busybox(TestImages.Options.defaults().withHello("from an OCI layout").asOci());
        Path layout = home.resolve("layout");
        TestImages.writeOciLayout(oci, layout, "v1");
        var load = ok(berth("load", "-i", layout.toString()));
        assertEquals("Loaded image ID: " + oci.configDigest() + "\n", load.out());
        assertEquals(oci.configDigest() + "\n", ok(berth("image", "inspect", "--format", "{{.Id}}",
                oci.configDigest().toString())).out());
        var notLayout = berth("load", "-i", home.toString());
        assertEquals(1, notLayout.status());
        assertTrue(notLayout.err().contains("not an OCI image layout"), notLayout.err());
    }

    @Test
    @Order(6)
    void errorsInDockersWords() {
        var missing = berth("pull", open.host() + "/cli/busybox:nope");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("Error response from daemon: "), missing.err());
        assertTrue(missing.err().contains("manifest unknown"), missing.err());

        var noImage = berth("image", "inspect", "nope:nope");
        assertEquals(1, noImage.status());
        assertTrue(noImage.err().contains("No such image: nope:nope"), noImage.err());

        var noEngine = new CliRun(null, home).env("DOCKER_HOST", "unix://" + dir.resolve("absent.sock")).run("images");
        assertEquals(1, noEngine.status());
        assertTrue(noEngine.err().contains(dir.resolve("absent.sock").toString()), noEngine.err());
    }

    @Test
    @Order(7)
    void versionAndInfoComeFromTheEngine() {
        var v = ok(berth("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}"));
        assertEquals(dev.berth.engine.api.DockerCompat.ENGINE_RELEASE + " 1.44 linux\n", v.out());
        var i = ok(berth("info", "--format", "{{.DockerRootDir}}"));
        assertEquals(dir.resolve("data") + "\n", i.out());
    }
}
