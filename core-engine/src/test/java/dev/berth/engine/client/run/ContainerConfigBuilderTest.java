package dev.berth.engine.client.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.client.FakeEngine;
import dev.berth.engine.testing.Processes;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerConfigBuilderTest {
    @TempDir
    Path dir;

    private ObjectNode build(boolean run, String... args) {
        return result(run, args).body();
    }

    private ContainerConfigBuilder.Result result(boolean run, String... args) {
        ContainerOptions o = parse(args);
        return new ContainerConfigBuilder(Map.of("FROM_HOST", "host-value")::get, dir).build(o, run, null);
    }

    /** Flags as ArgParser would hand them: {@code --name=value} or {@code --flag} for booleans. */
    private static ContainerOptions parse(String... args) {
        ContainerOptions o = new ContainerOptions();
        Iterator<String> it = Arrays.asList(args).iterator();
        while (it.hasNext()) {
            String a = it.next();
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                assertTrue(o.flag(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1)), a);
            } else {
                o.args.add(a);
                it.forEachRemaining(o.args::add);
            }
        }
        return o;
    }

    @Test
    void plainRunAttachesStdoutAndStderrAndLeavesTheRestToTheEngine() {
        ObjectNode b = build(true, "busybox");
        assertEquals("busybox", b.path("Image").asText());
        assertTrue(b.path("AttachStdout").asBoolean());
        assertTrue(b.path("AttachStderr").asBoolean());
        assertFalse(b.path("AttachStdin").asBoolean());
        assertFalse(b.has("Cmd"), "no command: the image's");
        assertFalse(b.has("Entrypoint"));
        assertEquals("default", b.path("HostConfig").path("NetworkMode").asText());
        assertFalse(b.path("HostConfig").path("AutoRemove").asBoolean());
    }

    @Test
    void detachedRunAttachesNothing() {
        ObjectNode b = build(true, "--detach", "busybox", "sleep", "1");
        assertFalse(b.path("AttachStdout").asBoolean());
        assertFalse(b.path("AttachStderr").asBoolean());
        assertEquals("[\"sleep\",\"1\"]", b.path("Cmd").toString());
        ConfigException e = assertThrows(ConfigException.class, () -> build(true, "--detach", "--attach=stdout", "busybox"));
        assertEquals("conflicting options: cannot specify both --attach and --detach", e.getMessage());
    }

    @Test
    void interactiveTtyOpensStdinOnce() {
        ObjectNode b = build(true, "--interactive", "--tty", "busybox", "sh");
        assertTrue(b.path("AttachStdin").asBoolean());
        assertTrue(b.path("OpenStdin").asBoolean());
        assertTrue(b.path("StdinOnce").asBoolean());
        assertTrue(b.path("Tty").asBoolean());
        assertFalse(build(true, "--interactive", "--detach", "busybox").path("StdinOnce").asBoolean(), "nobody attaches");
    }

    @Test
    void portsAreExposedAndBound() {
        ObjectNode b = build(true, "--publish=8080:80", "--publish=127.0.0.1::53/udp", "--publish=9000-9001:7000-7001",
                "--expose=443", "--publish-all", "busybox");
        assertEquals(List.of("80/tcp", "53/udp", "7000/tcp", "7001/tcp", "443/tcp"), fieldNames(b.path("ExposedPorts")));
        JsonNode pb = b.path("HostConfig").path("PortBindings");
        assertEquals("[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]", pb.path("80/tcp").toString());
        assertEquals("[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}]", pb.path("53/udp").toString());
        assertEquals("9001", pb.path("7001/tcp").get(0).path("HostPort").asText());
        assertTrue(b.path("HostConfig").path("PublishAllPorts").asBoolean());
    }

    @Test
    void portSpecsAreParsedAsNatDoes() {
        assertEquals(List.of(new PortSpec.Mapping("80/tcp", "::1", "8080")), PortSpec.parse("[::1]:8080:80"));
        assertEquals(List.of(new PortSpec.Mapping("80/tcp", "", "8000-8010")), PortSpec.parse("8000-8010:80"));
        assertEquals("invalid containerPort: abc", assertThrows(ConfigException.class, () -> PortSpec.parse("abc")).getMessage());
        assertEquals("invalid containerPort: abc", assertThrows(ConfigException.class, () -> PortSpec.parse("80:abc")).getMessage());
        assertEquals("invalid IP address: 1.2.3", assertThrows(ConfigException.class, () -> PortSpec.parse("1.2.3:80:80")).getMessage());
        assertEquals("invalid IP address: 80:80", assertThrows(ConfigException.class, () -> PortSpec.parse("80:80:80:80")).getMessage(),
                "two groups are not an IPv6 address (Go's net.ParseIP)");
        assertEquals(List.of(new PortSpec.Mapping("80/tcp", "fe80::1", "")), PortSpec.parse("[fe80::1]::80"));
        assertEquals("invalid hostPort: x", assertThrows(ConfigException.class, () -> PortSpec.parse("x:80")).getMessage());
        assertEquals("invalid proto: icmp", assertThrows(ConfigException.class, () -> PortSpec.parse("80/icmp")).getMessage());
        assertEquals("invalid ranges specified for container and host Ports: 80-81 and 90-92",
                assertThrows(ConfigException.class, () -> PortSpec.parse("90-92:80-81")).getMessage());
    }

    @Test
    void resourcesAndPolicies() {
        ObjectNode hc = (ObjectNode) build(true, "--memory=16m", "--cpus=1.5", "--restart=on-failure:3", "--pids-limit=64",
                "--read-only", "--privileged", "--cap-add=NET_ADMIN", "--cap-drop=MKNOD", "busybox").path("HostConfig");
        assertEquals(16L << 20, hc.path("Memory").asLong());
        assertEquals(1_500_000_000L, hc.path("NanoCpus").asLong());
        assertEquals("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}", hc.path("RestartPolicy").toString());
        assertEquals(64, hc.path("PidsLimit").asInt());
        assertTrue(hc.path("ReadonlyRootfs").asBoolean());
        assertTrue(hc.path("Privileged").asBoolean());
        assertEquals("[\"CAP_NET_ADMIN\"]", hc.path("CapAdd").toString());
        assertEquals("[\"CAP_MKNOD\"]", hc.path("CapDrop").toString());
        assertEquals(1536, ContainerConfigBuilder.ramInBytes("-m", "1.5k"));
        assertEquals(1L << 30, ContainerConfigBuilder.ramInBytes("-m", "1GiB"));

        ConfigException mem = assertThrows(ConfigException.class, () -> build(true, "--memory=lots", "busybox"));
        assertTrue(mem.isFlagValue());
        assertEquals("invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'", mem.getMessage());
        assertEquals("invalid argument \"x\" for \"--cpus\" flag: failed to parse x as a rational number",
                assertThrows(ConfigException.class, () -> build(true, "--cpus=x", "busybox")).getMessage());
        assertEquals("conflicting options: cannot specify both --restart and --rm",
                assertThrows(ConfigException.class, () -> build(true, "--rm", "--restart=always", "busybox")).getMessage());
        assertTrue(build(true, "--rm", "--restart=no", "busybox").path("HostConfig").path("AutoRemove").asBoolean());
        assertEquals("invalid restart policy format: maximum retry count must be an integer",
                assertThrows(ConfigException.class, () -> build(true, "--restart=on-failure:x", "busybox")).getMessage());
    }

    @Test
    void volumesMountsAndTmpfs() {
        ObjectNode b = build(true, "--volume=/data", "--volume=named:/named:ro", "--volume=./rel:/rel",
                "--mount=type=bind,source=/src,target=/dst,readonly", "--mount=type=tmpfs,dst=/t,tmpfs-size=1m",
                "--tmpfs=/run:rw,size=64m", "busybox");
        assertEquals(List.of("/data"), fieldNames(b.path("Volumes")));
        assertEquals("[\"named:/named:ro\",\"" + dir.resolve("rel") + ":/rel\"]", b.path("HostConfig").path("Binds").toString());
        JsonNode mounts = b.path("HostConfig").path("Mounts");
        assertEquals("{\"Type\":\"bind\",\"Source\":\"/src\",\"Target\":\"/dst\",\"ReadOnly\":true}", mounts.get(0).toString());
        assertEquals("{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"TmpfsOptions\":{\"SizeBytes\":1048576}}", mounts.get(1).toString());
        assertEquals("{\"/run\":\"rw,size=64m\"}", b.path("HostConfig").path("Tmpfs").toString());
        assertEquals("invalid spec: :/x: empty section between colons",
                assertThrows(ConfigException.class, () -> build(true, "--volume=:/x", "busybox")).getMessage());
        assertEquals("invalid argument \"source=x\" for \"--mount\" flag: target is required",
                assertThrows(ConfigException.class, () -> build(true, "--mount=source=x", "busybox")).getMessage());
    }

    @Test
    void environmentLabelsHostsAndEntrypoint() throws Exception {
        Files.writeString(dir.resolve("env"), "# comment\n\nFILE_A=1\nFROM_HOST\nUNSET_ONE\n");
        ObjectNode b = build(true, "--env-file=env", "--env=B=2", "--env=FROM_HOST", "--env=NOT_SET", "--label=a=b",
                "--label=flag", "--add-host=db:10.68.0.9", "--add-host=gw=host-gateway", "--entrypoint=", "--user=1:2",
                "--workdir=/w", "--hostname=h", "--network=cli-net", "--network-alias=web", "busybox");
        assertEquals("[\"FILE_A=1\",\"FROM_HOST=host-value\",\"B=2\",\"FROM_HOST=host-value\",\"NOT_SET\"]", b.path("Env").toString());
        assertEquals("{\"a\":\"b\",\"flag\":\"\"}", b.path("Labels").toString());
        assertEquals("[\"db:10.68.0.9\",\"gw:host-gateway\"]", b.path("HostConfig").path("ExtraHosts").toString());
        assertEquals("[\"\"]", b.path("Entrypoint").toString(), "an empty --entrypoint resets the image's");
        assertEquals("1:2", b.path("User").asText());
        assertEquals("/w", b.path("WorkingDir").asText());
        assertEquals("h", b.path("Hostname").asText());
        assertEquals("cli-net", b.path("HostConfig").path("NetworkMode").asText());
        assertEquals("[\"web\"]", b.path("NetworkingConfig").path("EndpointsConfig").path("cli-net").path("Aliases").toString());
        assertEquals("invalid argument \"foo\" for \"--add-host\" flag: bad format for add-host: \"foo\"",
                assertThrows(ConfigException.class, () -> build(true, "--add-host=foo", "busybox")).getMessage());
        assertEquals("invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\"",
                assertThrows(ConfigException.class, () -> build(true, "--pull=sometimes", "busybox")).getMessage());
    }

    /**
     * The real docker CLI sends its create request to a fake engine; every field the builder sets
     * must have docker's value for the same flags.
     */
    @Test
    void theBodyAgreesWithWhatTheDockerCliSends() throws Exception {
        Processes.requireBinary("docker");
        Path socket = Files.createTempDirectory(Path.of("/tmp"), "cb").resolve("d.sock");
        try (FakeEngine fake = FakeEngine.unix(socket)) {
            fake.json("POST", "/containers/create", 201, "{\"Id\":\"" + "a".repeat(64) + "\",\"Warnings\":[]}");
            String[] flags = {"--name=cli-x", "-e=A=1", "-p=127.0.0.1:8080:80/tcp", "-p=9000-9001:7000-7001", "--expose=443",
                    "-v=/data", "-v=/src:/dst:ro", "--mount=type=tmpfs,target=/t", "--tmpfs=/run:size=64m", "-m=16m",
                    "--cpus=0.5", "--restart=on-failure:2", "-l=a=b", "-w=/w", "-u=1:2", "--hostname=h", "--entrypoint=sh",
                    "--cap-add=NET_ADMIN", "--cap-drop=MKNOD", "--read-only", "--add-host=db:10.68.0.9", "--pids-limit=50",
                    "--network=cli-net", "--network-alias=web", "-i", "-t"};
            List<String> dockerArgs = new ArrayList<>(List.of("create"));
            dockerArgs.addAll(List.of(flags));
            dockerArgs.addAll(List.of("busybox:1", "-c", "echo hi"));
            Processes.Result r = Processes.docker("unix://" + socket, dir.resolve(".docker"), dockerArgs.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.stderr());
            JsonNode docker = Json.MAPPER.readTree(fake.last("POST", "/containers/create").body());

            ContainerOptions o = new ContainerOptions();
            for (String f : flags) {
                String name = f.substring(f.startsWith("--") ? 2 : 1, f.contains("=") ? f.indexOf('=') : f.length());
                String value = f.contains("=") ? f.substring(f.indexOf('=') + 1) : "true";
                name = switch (name) {
                    case "e" -> "env";
                    case "p" -> "publish";
                    case "v" -> "volume";
                    case "m" -> "memory";
                    case "l" -> "label";
                    case "w" -> "workdir";
                    case "u" -> "user";
                    case "i" -> "interactive";
                    case "t" -> "tty";
                    default -> name;
                };
                assertTrue(o.flag(name, value), name);
            }
            o.args.addAll(List.of("busybox:1", "-c", "echo hi"));
            ObjectNode mine = new ContainerConfigBuilder(k -> null, dir).build(o, false, null).body();
            assertEquals(List.of(), differences("", mine, docker), "fields where berth's create body differs from docker's");
        }
    }

    /** Paths where {@code mine} has a value that {@code theirs} lacks or differs in; {@code theirs} may have more. */
    private static List<String> differences(String path, JsonNode mine, JsonNode theirs) {
        List<String> out = new ArrayList<>();
        if (mine.isObject()) {
            mine.properties().forEach(e -> {
                JsonNode t = theirs == null ? null : theirs.get(e.getKey());
                if (t == null || t.isNull()) {
                    out.add(path + "/" + e.getKey() + " (docker sends none, berth " + e.getValue() + ")");
                } else {
                    out.addAll(differences(path + "/" + e.getKey(), e.getValue(), t));
                }
            });
        } else if (mine.isNumber() && theirs.isNumber()) {
            if (mine.decimalValue().compareTo(theirs.decimalValue()) != 0) {
                out.add(path + ": berth " + mine + ", docker " + theirs);
            }
        } else if (!mine.equals(theirs)) {
            out.add(path + ": berth " + mine + ", docker " + theirs);
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void healthFlagsBecomeTheHealthcheckAsDockersOptsGoBuildsIt() {
        ObjectNode h = build(true, "--health-cmd=curl -f localhost", "--health-interval=1m30s", "--health-timeout=200ms",
                "--health-retries=4", "busybox").path("Healthcheck").deepCopy();
        assertEquals("[\"CMD-SHELL\",\"curl -f localhost\"]", h.path("Test").toString());
        assertEquals(90_000_000_000L, h.path("Interval").asLong());
        assertEquals(200_000_000L, h.path("Timeout").asLong());
        assertEquals(0, h.path("StartPeriod").asLong());
        assertEquals(4, h.path("Retries").asInt());
        assertEquals("[\"NONE\"]", build(true, "--no-healthcheck", "busybox").path("Healthcheck").path("Test").toString());
        assertFalse(build(true, "busybox").has("Healthcheck"));
        assertEquals("--no-healthcheck conflicts with --health-* options",
                assertThrows(ConfigException.class, () -> build(true, "--no-healthcheck", "--health-retries=2", "busybox")).getMessage());
        assertEquals("--health-interval cannot be negative",
                assertThrows(ConfigException.class, () -> build(true, "--health-interval=-1s", "busybox")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> build(true, "--health-timeout=soon", "busybox")).getMessage()
                .startsWith("invalid argument \"soon\" for \"--health-timeout\" flag: time: invalid duration"));
    }
}
