package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's bad input that no other class covers from the docker CLI or the raw API: an unknown
 * image to run, bad port specifications, a -v bind source that does not exist (Docker creates it).
 * Each fails with Docker's status and message and leaves no container behind. (Unknown command:
 * DockerCliLifecycleTest; duplicate name: DockerCliContainersTest; missing --mount source:
 * DockerCliVolumesTest; removed while attached: DockerCliExecAttachTest.)
 */
class DockerCliBadInputTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("curl");
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    static int containerCount() {
        return (int) docker("ps", "-aq").assertOk().stdout().lines().count();
    }

    /** {@code curl} over the daemon's socket: status line's code, then the body. */
    static String[] api(String method, String path, String json) {
        var r = Processes.run(Map.of(), null, 30, "curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--unix-socket",
                engine.daemon().socket().toString(), "-X", method, "-H", "Content-Type: application/json",
                "--data", json, "http://localhost/v1.44" + path);
        String out = r.stdout();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(nl + 1).strip(), out.substring(0, nl)};
    }

    @Test
    void runningAnUnknownImageTriesAPullAndFailsWith125() {
        int before = containerCount();
        String missing = ref.substring(0, ref.lastIndexOf(':')) + ":fix4-none";
        var run = docker("run", "--rm", missing, "true");
        assertEquals(125, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("Unable to find image '" + missing + "' locally"), run.stderr());
        assertTrue(run.stderr().contains("Error response from daemon"), run.stderr());
        assertTrue(run.stderr().contains("not found") || run.stderr().contains("unknown"), run.stderr());
        assertEquals(before, containerCount());

        var inspect = docker("run", "--pull", "never", "--rm", missing, "true");
        assertEquals(125, inspect.exitCode(), inspect.stderr());
        assertTrue(inspect.stderr().contains("No such image: " + missing), inspect.stderr());
    }

    @Test
    void badPortSpecsAreDockers400sAndCreateNothing() {
        int before = containerCount();
        String[] badContainerPort = api("POST", "/containers/create?name=fix4-badport",
                "{\"Image\":\"" + ref + "\",\"ExposedPorts\":{\"80x/tcp\":{}},\"HostConfig\":{\"PortBindings\":{\"80x/tcp\":[{\"HostPort\":\"8080\"}]}}}");
        assertEquals("400", badContainerPort[0], badContainerPort[1]);
        assertEquals("{\"message\":\"invalid port specification: \\\"80x\\\"\"}", badContainerPort[1].strip());

        String[] badHostPort = api("POST", "/containers/create?name=fix4-badport",
                "{\"Image\":\"" + ref + "\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"eighty\"}]}}}");
        assertEquals("400", badHostPort[0], badHostPort[1]);
        assertEquals("{\"message\":\"invalid port specification: \\\"eighty\\\"\"}", badHostPort[1].strip());

        String[] badProto = api("POST", "/containers/create?name=fix4-badport",
                "{\"Image\":\"" + ref + "\",\"HostConfig\":{\"PortBindings\":{\"80/icmp\":[{\"HostPort\":\"8080\"}]}}}");
        assertEquals("400", badProto[0], badProto[1]);
        assertTrue(badProto[1].contains("invalid proto: icmp"), badProto[1]);

        // The docker CLI refuses a malformed -p itself, with exit code 125.
        var cli = docker("run", "--rm", "-p", "80:80/icmp", ref, "true");
        assertEquals(125, cli.exitCode(), cli.stderr());
        assertTrue(cli.stderr().contains("invalid proto: icmp"), cli.stderr());
        assertEquals(before, containerCount());
    }

    /** As Docker does for -v (not for --mount): a missing host directory is created, and the container sees it. */
    @Test
    void aMissingDashVBindSourceIsCreated() throws Exception {
        Path src = work.resolve("fix4-created-by-run");
        var run = docker("run", "--rm", "-v", src + ":/x", ref, "sh", "-c", "echo in > /x/f");
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.isDirectory(src));
        assertEquals("in\n", Files.readString(src.resolve("f")));
    }

    @Test
    void aCreateBodyOfTheWrongJsonTypesIsRefusedInEncodingJsonsWordsAndCreatesNothing() {
        int before = containerCount();
        String[][] cases = {
                {"{\"Image\":\"" + ref + "\",\"HostConfig\":{\"Memory\":\"lots\"}}",
                        "json: cannot unmarshal string into Go struct field ContainerConfigWrapper.HostConfig.Memory of type int64"},
                {"{\"Image\":\"" + ref + "\",\"Env\":[1,2]}",
                        "json: cannot unmarshal array into Go struct field ContainerConfigWrapper.Env of type []string"},
                {"{\"Image\":\"" + ref + "\",\"Labels\":{\"a\":1}}",
                        "json: cannot unmarshal object into Go struct field ContainerConfigWrapper.Labels of type map[string]string"},
                {"{\"Image\":\"" + ref + "\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":\"8080\"}}}",
                        "json: cannot unmarshal string into Go struct field ContainerConfigWrapper.HostConfig.PortBindings of type []nat.PortBinding"},
                {"{\"Image\":\"" + ref + "\",\"HostConfig\":{\"NanoCpus\":1.5}}",
                        "json: cannot unmarshal number 1.5 into Go struct field ContainerConfigWrapper.HostConfig.NanoCpus of type int64"},
                {"[]", "json: cannot unmarshal array into Go struct field ContainerConfigWrapper of type runconfig.ContainerConfigWrapper"},
        };
        for (String[] c : cases) {
            String[] r = api("POST", "/containers/create", c[0]);
            assertEquals("400", r[0], c[0] + " -> " + r[1]);
            assertTrue(r[1].contains(c[1]), c[0] + " -> " + r[1]);
        }
        String[] swappy = api("POST", "/containers/create", "{\"Image\":\"" + ref + "\",\"HostConfig\":{\"MemorySwappiness\":101}}");
        assertEquals("400", swappy[0], swappy[1]);
        assertTrue(swappy[1].contains("Invalid value: 101, valid memory swappiness range is 0-100"), swappy[1]);
        String[][] others = {
                {"/networks/create", "{\"Name\":123}",
                        "json: cannot unmarshal number into Go struct field NetworkCreateRequest.Name of type string"},
                {"/volumes/create", "{\"Name\":[\"x\"]}",
                        "json: cannot unmarshal array into Go struct field CreateOptions.Name of type string"},
        };
        for (String[] c : others) {
            String[] r = api("POST", c[0], c[1]);
            assertEquals("400", r[0], c[1] + " -> " + r[1]);
            assertTrue(r[1].contains(c[2]), c[1] + " -> " + r[1]);
        }
        assertEquals("", docker("volume", "ls", "-q", "--filter", "dangling=true").assertOk().stdout().strip(),
                "no anonymous volume made of a name that did not parse");
        String[] df = api("GET", "/system/df?type=bogus", "");
        assertEquals("400", df[0], df[1]);
        assertTrue(df[1].contains("unknown object type: bogus"), df[1]);
        String[] fine = api("POST", "/containers/create", "{\"Image\":\"" + ref + "\",\"Cmd\":\"true\",\"Env\":null,"
                + "\"HostConfig\":{\"Memory\":16777216,\"Init\":null,\"PortBindings\":{\"80/tcp\":null}}}");
        assertEquals("201", fine[0], "a string Cmd (strslice) and nulls are what Go accepts too: " + fine[1]);
        docker("rm", fine[1].replaceAll(".*\"Id\":\"([0-9a-f]+)\".*", "$1").strip()).assertOk();
        assertEquals(before, containerCount());
    }

    @Test
    void queryValuesThatDoNotParseAre400sNot500s() {
        String[] limit = api("GET", "/containers/json?limit=abc", "");
        assertEquals("400", limit[0], limit[1]);
        assertTrue(limit[1].contains("limit"), limit[1]);
        String[] status = api("GET", "/containers/json?filters=%7B%22status%22%3A%5B%22bogus%22%5D%7D", "");
        assertEquals("400", status[0], status[1]);
        assertTrue(status[1].contains("invalid filter 'status=bogus'"), status[1]);
        var ps = docker("ps", "-a", "--filter", "status=exited");
        assertEquals(0, ps.exitCode(), "a real state still filters: " + ps.stderr());

        String id = docker("run", "-d", "--network", "none", ref, "sleep", "60").assertOk().stdout().strip();
        try {
            String[] top = api("GET", "/containers/" + id + "/top?ps_args=--no-such-option", "");
            assertEquals("400", top[0], "ps refusing the caller's ps_args is the caller's error: " + top[1]);
            assertTrue(top[1].contains("Error running ps"), top[1]);
            String[] plain = api("GET", "/containers/" + id + "/top", "");
            assertEquals("200", plain[0], plain[1]);
            String[] exec = api("POST", "/containers/" + id + "/exec", "{\"Cmd\":\"ls\"}");
            assertEquals("400", exec[0], exec[1]);
            assertTrue(exec[1].contains("json: cannot unmarshal string into Go struct field ExecConfig.Cmd of type []string"), exec[1]);
        } finally {
            docker("rm", "-f", id);
        }
    }

    @Test
    void logDriversAndStorageOptsBerthHasNotAreRefusedAndNoneKeepsNothingToRead() {
        int before = containerCount();
        var bogus = docker("run", "--rm", "--network", "none", "--log-driver", "bogus", ref, "true");
        assertEquals(125, bogus.exitCode(), bogus.stderr());
        assertTrue(bogus.stderr().contains("logger: no log driver named 'bogus' is registered"), bogus.stderr());
        var syslog = docker("run", "--rm", "--network", "none", "--log-driver", "syslog", ref, "true");
        assertEquals(125, syslog.exitCode(), syslog.stderr());
        assertTrue(syslog.stderr().contains("log driver syslog is not supported by Berth yet"), syslog.stderr());
        var storage = docker("run", "--rm", "--network", "none", "--storage-opt", "size=1G", ref, "true");
        assertEquals(125, storage.exitCode(), storage.stderr());
        assertTrue(storage.stderr().contains("--storage-opt is supported only for overlay over xfs"), storage.stderr());
        assertEquals(before, containerCount());

        String id = docker("run", "-d", "--network", "none", "--log-driver", "none", ref, "sh", "-c", "echo hi; sleep 30")
                .assertOk().stdout().strip();
        try {
            var logs = docker("logs", id);
            assertEquals(1, logs.exitCode(), logs.stdout());
            assertTrue(logs.stderr().contains("configured logging driver does not support reading"), logs.stderr());
        } finally {
            docker("rm", "-f", id);
        }
    }

    @Test
    void anImageForAnotherPlatformIsNotRunAsIfItMatched() {
        int before = containerCount();
        var arm = docker("run", "--rm", "--network", "none", "--pull", "never", "--platform", "linux/arm64", ref, "true");
        assertEquals(125, arm.exitCode(), arm.stderr());
        assertTrue(arm.stderr().contains("does not match the specified platform: wanted linux/arm64, actual: linux/amd64"), arm.stderr());
        assertEquals(before, containerCount());
        docker("run", "--rm", "--network", "none", "--pull", "never", "--platform", "linux/amd64", ref, "true").assertOk();
    }
}
