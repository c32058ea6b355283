package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.client.FakeEngine;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.images.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

import static dev.berth.cli.ImageCommandsTest.pad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pull, push, login, logout, version, info, system df, events. */
class RegistryAndSystemCommandsTest {
    static final String DIGEST = "sha256:" + "d".repeat(64);

    @TempDir
    Path dir;

    FakeEngine engine;
    CliRun cli;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.unix(dir.resolve("engine.sock"));
        cli = new CliRun(engine, dir);
    }

    @AfterEach
    void stop() throws IOException {
        engine.close();
    }

    void pullStream() {
        engine.on("POST", "/images/create", x -> {
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}");
            x.line(out, "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1024,\"total\":4096},\"progress\":\"[==>  ]\",\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Verifying Checksum\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Extracting\",\"progressDetail\":{\"current\":4096,\"total\":4096},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Digest: " + DIGEST + "\"}");
            x.line(out, "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}");
        });
    }

    @Test
    void pullWithoutATerminalPrintsDockersPlainLines() {
        pullStream();
        CliRun.Result r = cli.run("pull", "busybox");
        assertEquals(0, r.status(), r.toString());
        assertEquals("""
                Using default tag: latest
                latest: Pulling from library/busybox
                abc123: Pulling fs layer
                abc123: Verifying Checksum
                abc123: Download complete
                abc123: Pull complete
                Digest: %s
                Status: Downloaded newer image for busybox:latest
                docker.io/library/busybox:latest
                """.formatted(DIGEST), r.out());
        FakeEngine.Recorded req = engine.last("POST", "/images/create");
        assertEquals("docker.io/library/busybox", req.query("fromImage"));
        assertEquals("latest", req.query("tag"));
        assertEquals("e30=", req.header("X-Registry-Auth"), "no stored credentials: anonymous");
    }

    @Test
    void pullOnATerminalRedrawsEachLayerInPlace() {
        pullStream();
        CliRun.Result r = cli.terminal(false, true, 80).run("pull", "busybox:latest");
        assertEquals(0, r.status(), r.toString());
        String out = r.out();
        assertFalse(out.contains("Using default tag"), "a tag was given");
        // A new layer id opens a line; each update moves up to it, erases it, redraws, and moves back down.
        assertTrue(out.contains("latest: Pulling from library/busybox\n\n\u001b[1A\u001b[2K\rabc123: Pulling fs layer \r\u001b[1B"), out);
        assertTrue(out.contains("\u001b[1A\u001b[2K\rabc123: Downloading  1.024kB/4.096kB\r\u001b[1B"), out);
        assertTrue(out.contains("\u001b[1A\u001b[2K\rabc123: Pull complete \r\u001b[1B"), out);
        assertTrue(out.endsWith("Status: Downloaded newer image for busybox:latest\ndocker.io/library/busybox:latest\n"), out);
    }

    @Test
    void wideTerminalsGetABar() {
        pullStream();
        String out = cli.terminal(false, true, 200).run("pull", "busybox").out();
        // 1024 of 4096 is 25%: twelve of fifty cells, as docker rounds.
        String bar = "[" + "=".repeat(12) + ">" + " ".repeat(38) + "] ";
        assertTrue(out.contains("abc123: Downloading " + bar + " 1.024kB/4.096kB\r"), out);
    }

    @Test
    void quietPullPrintsOnlyTheReference() {
        pullStream();
        CliRun.Result r = cli.run("pull", "-q", "localhost:5000/app@" + DIGEST);
        assertEquals("localhost:5000/app@" + DIGEST + "\n", r.out());
        assertEquals(DIGEST, engine.last("POST", "/images/create").query("tag"));
    }

    @Test
    void pullFailures() {
        engine.json("POST", "/images/create", 404, "{\"message\":\"pull access denied for nope, repository does not exist or may require 'docker login'\"}");
        CliRun.Result denied = cli.run("pull", "nope");
        assertEquals(1, denied.status());
        assertEquals("Error response from daemon: pull access denied for nope, repository does not exist or may require "
                + "'docker login'\n", denied.err());

        engine.on("POST", "/images/create", x -> {
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"status\":\"Pulling from library/busybox\",\"id\":\"1.0\"}");
            x.line(out, "{\"errorDetail\":{\"message\":\"manifest for busybox:1.0 not found: manifest unknown\"},"
                    + "\"error\":\"manifest for busybox:1.0 not found: manifest unknown\"}");
        });
        CliRun.Result midway = cli.run("pull", "busybox:1.0");
        assertEquals(1, midway.status());
        assertEquals("1.0: Pulling from library/busybox\n", midway.out());
        assertEquals("manifest for busybox:1.0 not found: manifest unknown\n", midway.err(), "stream errors carry no prefix");

        CliRun.Result invalid = cli.run("pull", "Busybox");
        assertEquals(1, invalid.status());
        assertTrue(invalid.err().startsWith("invalid reference format"), invalid.err());
    }

    @Test
    void pushShowsProgressAndSendsStoredCredentials() throws IOException {
        writeConfig("{\"auths\":{\"localhost:5000\":{\"auth\":\"" + b64("me:pw") + "\"}}}");
        engine.on("POST", "/images/(.+)/push", x -> {
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"status\":\"The push refers to repository [localhost:5000/app]\"}");
            x.line(out, "{\"status\":\"Preparing\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Pushing\",\"progressDetail\":{\"current\":10,\"total\":20},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"abc123\"}");
            x.line(out, "{\"status\":\"latest: digest: " + DIGEST + " size: 527\"}");
            x.line(out, "{\"progressDetail\":{},\"aux\":{\"Tag\":\"latest\",\"Digest\":\"" + DIGEST + "\",\"Size\":527}}");
        });
        CliRun.Result r = cli.run("push", "localhost:5000/app");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Using default tag: latest\nThe push refers to repository [localhost:5000/app]\nabc123: Preparing\n"
                + "abc123: Pushed\nlatest: digest: " + DIGEST + " size: 527\n", r.out());
        FakeEngine.Recorded req = engine.last("POST", "/images/(.+)/push");
        assertEquals("/images/localhost:5000/app/push", req.path());
        AuthConfig sent = AuthConfig.decode(req.header("X-Registry-Auth"));
        assertEquals("me", sent.username());
        assertEquals("pw", sent.password());

        assertEquals("localhost:5000/app:latest\n", cli.run("push", "-q", "localhost:5000/app:latest").out());
    }

    @Test
    void dockerHubCredentialsAreFiledUnderTheIndexServer() throws IOException {
        writeConfig("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hubuser:hubpw") + "\"}}}");
        pullStream();
        cli.run("pull", "-q", "busybox");
        assertEquals("hubuser", AuthConfig.decode(engine.last("POST", "/images/create").header("X-Registry-Auth")).username());
    }

    // ------------------------------------------------------------ login / logout

    @Test
    void loginChecksWithTheEngineThenStoresLikeDocker() throws IOException {
        engine.json("POST", "/auth", 200, "{\"Status\":\"Login Succeeded\"}");
        CliRun.Result r = cli.stdin("s3cret\n").run("login", "-u", "me", "--password-stdin", "localhost:5000");
        assertEquals(0, r.status(), r.toString());
        assertEquals("Login Succeeded\n", r.out());
        JsonNode sent = Json.MAPPER.readTree(engine.last("POST", "/auth").body());
        assertEquals("me", sent.get("username").asText());
        assertEquals("s3cret", sent.get("password").asText(), "the trailing newline of stdin is not part of the password");
        assertEquals("localhost:5000", sent.get("serveraddress").asText());

        Path config = dir.resolve(".docker/config.json");
        assertEquals("{\n\t\"auths\": {\n\t\t\"localhost:5000\": {\n\t\t\t\"auth\": \"" + b64("me:s3cret")
                + "\"\n\t\t}\n\t}\n}\n", Files.readString(config), "written as docker writes it, tab-indented");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));

        CliRun.Result out = cli.run("logout", "localhost:5000");
        assertEquals("Removing login credentials for localhost:5000\n", out.out());
        assertFalse(Json.MAPPER.readTree(config.toFile()).get("auths").has("localhost:5000"));
    }

    @Test
    void anIdentityTokenReplacesThePasswordAndOtherSettingsSurvive() throws IOException {
        writeConfig("{\"auths\":{},\"psFormat\":\"table {{.ID}}\"}");
        engine.json("POST", "/auth", 200, "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"tok-123\"}");
        Path configDir = dir.resolve(".docker");
        CliRun.Result r = cli.run("--config", configDir.toString(), "login", "-u", "me", "-p", "pw");
        assertEquals(0, r.status(), r.toString());
        assertEquals("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n", r.err());
        JsonNode stored = Json.MAPPER.readTree(configDir.resolve("config.json").toFile());
        JsonNode hub = stored.get("auths").get("https://index.docker.io/v1/");
        assertEquals("tok-123", hub.get("identitytoken").asText());
        assertEquals(b64("me:"), hub.get("auth").asText());
        assertEquals("table {{.ID}}", stored.get("psFormat").asText());
    }

    @Test
    void loginRefusals() throws IOException {
        CliRun.Result both = cli.run("login", "-p", "x", "--password-stdin", "-u", "me");
        assertEquals(1, both.status());
        assertEquals("conflicting options: cannot specify both --password and --password-stdin\n", both.err());

        assertEquals("the --password-stdin option requires --username to be set\n", cli.run("login", "--password-stdin").err());

        CliRun.Result noTty = cli.run("login", "localhost:5000");
        assertEquals(1, noTty.status());
        assertEquals("Error: Cannot perform an interactive login from a non TTY device\n", noTty.err());

        engine.json("POST", "/auth", 401, "{\"message\":\"login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized\"}");
        CliRun.Result wrong = cli.stdin("bad").run("login", "-u", "me", "--password-stdin", "localhost:5000");
        assertEquals(1, wrong.status());
        assertEquals("Error response from daemon: login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized\n",
                wrong.err());
        assertFalse(Files.exists(dir.resolve(".docker/config.json")), "nothing stored after a failed login");
    }

    @Test
    void aCredentialHelperIsNotSilentlyBypassed() throws IOException {
        writeConfig("{\"credsStore\":\"desktop\"}");
        engine.json("POST", "/auth", 200, "{\"Status\":\"Login Succeeded\"}");
        CliRun.Result r = cli.stdin("pw").run("login", "-u", "me", "--password-stdin", "localhost:5000");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("Error saving credentials:"), r.err());
        assertTrue(r.err().contains("docker-credential-desktop"), r.err());
        assertEquals("{\"credsStore\":\"desktop\"}", Files.readString(dir.resolve(".docker/config.json")), "file untouched");
    }

    // ------------------------------------------------------------ system

    @Test
    void systemDfSummarisesLikeDocker() {
        engine.json("GET", "/system/df", 200, """
                {"LayersSize":81924358,
                 "Images":[{"Id":"sha256:a","RepoTags":["busybox:latest"],"Size":4261234,"SharedSize":0,"Containers":1,"Created":1},
                           {"Id":"sha256:b","RepoTags":["app:1"],"Size":77663124,"SharedSize":0,"Containers":0,"Created":1}],
                 "Containers":[{"Id":"c1","State":"running","SizeRw":7}],
                 "Volumes":[{"Name":"v","UsageData":{"Size":5,"RefCount":0}}],
                 "BuildCache":[]}""");
        CliRun.Result r = cli.run("system", "df");
        assertEquals(0, r.status(), r.toString());
        String expected = pad("TYPE", 16) + pad("TOTAL", 10) + pad("ACTIVE", 10) + pad("SIZE", 10) + "RECLAIMABLE\n"
                + pad("Images", 16) + pad("2", 10) + pad("1", 10) + pad("81.92MB", 10) + "77.66MB (94%)\n"
                + pad("Containers", 16) + pad("1", 10) + pad("1", 10) + pad("7B", 10) + "0B (0%)\n"
                + pad("Local Volumes", 16) + pad("1", 10) + pad("0", 10) + pad("5B", 10) + "5B (100%)\n"
                + pad("Build Cache", 16) + pad("0", 10) + pad("0", 10) + pad("0B", 10) + "0B\n";
        assertEquals(expected, r.out());
        assertEquals("Images 81.92MB\nContainers 7B\nLocal Volumes 5B\nBuild Cache 0B\n",
                cli.run("system", "df", "--format", "{{.Type}} {{.Size}}").out());
    }

    @Test
    void versionShowsClientAndServer() {
        engine.json("GET", "/version", 200, """
                {"Platform":{"Name":"Berth Engine"},"Components":[{"Name":"Engine","Version":"0.1.0",
                 "Details":{"ApiVersion":"1.47","MinAPIVersion":"1.24","GitCommit":"abc","GoVersion":"java25","Os":"linux",
                 "Arch":"amd64","BuildTime":"2024-06-01T10:00:00.000000000+00:00","Experimental":"false"}}],
                 "Version":"0.1.0","ApiVersion":"1.47","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}""");
        CliRun.Result r = cli.run("version");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("Client:\n Version:           " + Cli.VERSION + "\n API version:       1.47\n"), r.out());
        assertTrue(r.out().contains("\n\nServer: Berth Engine\n Engine:\n  Version:          0.1.0\n"
                + "  API version:      1.47 (minimum version 1.24)\n"), r.out());
        assertTrue(r.out().contains("  Built:            Sat Jun  1 10:00:00 2024\n"), r.out());
        assertEquals("0.1.0\n", cli.run("version", "--format", "{{.Server.Version}}").out());
    }

    @Test
    void versionAgainstAnOlderEngineSaysDowngraded() {
        engine.apiVersion("1.41").json("GET", "/version", 200, "{\"Version\":\"20.10.0\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}");
        String out = cli.run("version").out();
        assertTrue(out.contains(" API version:       1.41 (downgraded from 1.47)\n"), out);
        assertTrue(out.contains(" Engine:\n  Version:          20.10.0\n  API version:      1.41 (minimum version 1.12)\n"), out);
    }

    @Test
    void infoPrintsTheServerSection() {
        engine.json("GET", "/info", 200, """
                {"ID":"X1","Containers":3,"ContainersRunning":1,"ContainersPaused":0,"ContainersStopped":2,"Images":2,
                 "Driver":"overlay","DriverStatus":[["Backing Filesystem","extfs"]],"Plugins":{"Volume":["local"],"Network":["bridge"],"Log":["k8s-file"]},
                 "ServerVersion":"0.1.0","OSType":"linux","Architecture":"x86_64","NCPU":2,"MemTotal":8348672000,
                 "DockerRootDir":"/var/lib/berth","Name":"host","Swarm":{"LocalNodeState":"inactive"},"Warnings":["WARNING: no swap limit support"]}""");
        CliRun.Result r = cli.run("info");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("Client:\n Version:    " + Cli.VERSION + "\n Context:    default\n Debug Mode: false\n\nServer:\n"
                + " Containers: 3\n  Running: 1\n  Paused: 0\n  Stopped: 2\n Images: 2\n Server Version: 0.1.0\n Storage Driver: overlay\n"
                + "  Backing Filesystem: extfs\n"), r.out());
        assertTrue(r.out().contains(" Total Memory: 7.775GiB\n"), r.out());
        assertTrue(r.out().contains(" Docker Root Dir: /var/lib/berth\n"), r.out());
        assertEquals("WARNING: no swap limit support\n", r.err());
        assertEquals("0.1.0 2\n", cli.run("system", "info", "--format", "{{.ServerVersion}} {{.NCPU}}").out());
    }

    @Test
    void infoWithTheEngineDownStillShowsTheClient() {
        CliRun.Result r = new CliRun(null, dir).env("DOCKER_HOST", "unix://" + dir.resolve("none.sock")).run("info");
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith("Client:\n"), r.out());
        assertTrue(r.err().startsWith("ERROR: Cannot connect to the Berth engine"), r.err());
        assertTrue(r.err().endsWith("errors pretty printing info\n"), r.err());
    }

    @Test
    void eventsPrintOneLinePerEvent() {
        engine.on("GET", "/events", x -> {
            OutputStream out = x.stream(200, "application/json");
            x.line(out, "{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"busybox:latest\",\"Attributes\":{\"name\":\"busybox\",\"a\":\"1\"}},"
                    + "\"scope\":\"local\",\"time\":1700000000,\"timeNano\":1700000000123456789}");
        });
        CliRun.Result r = cli.run("events", "--until", "1700000001");
        assertEquals(0, r.status(), r.toString());
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX")
                .format(Instant.ofEpochSecond(1700000000, 123456789).atZone(ZoneId.systemDefault()));
        assertEquals(when + " image pull busybox:latest (a=1, name=busybox)\n", r.out());
        assertEquals("1700000001", engine.last("GET", "/events").query("until"));
        assertEquals("pull\n", cli.run("system", "events", "--format", "{{.Action}}").out());
        assertNull(engine.last("GET", "/events").query("since"));
    }

    private void writeConfig(String json) throws IOException {
        Path d = dir.resolve(".docker");
        Files.createDirectories(d);
        Files.writeString(d.resolve("config.json"), json);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
