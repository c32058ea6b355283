package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real docker CLI on user-defined networks: {@code network create/ls/inspect/rm/prune/connect/
 * disconnect}, containers resolving and reaching each other by name, short id and alias through the
 * embedded DNS, the default bridge not resolving names, the generated /etc files, network events,
 * and no bridge device left after a network is removed. Devices bn0-bn9 and subnets in 10.64/16 and
 * 10.65/16 only.
 */
class DockerCliUserNetworkTest {
    private static final Path CNI = Path.of("/usr/lib/cni");
    private static final List<String> DEVICES = List.of("bn0", "bn1", "bn2", "bn3", "bn4", "bn5", "bn6", "bn7", "bn8", "bn9");

    static BusyboxOnBerth engine;
    static String ref;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("ip");
        Processes.requireBinary("iptables");
        if (!Files.isExecutable(CNI.resolve("bridge"))) {
            String msg = "containernetworking-plugins is not installed";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        deleteDevices();
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge("bn0", "10.65.0.0/24"), config);
        ref = engine.ref();
    }

    @AfterEach
    void cleanUp() {
        engine.daemon().removeAllContainers(config);
        docker("network", "prune", "-f");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            deleteDevices();
            for (String table : List.of("nat", "filter")) {
                if (chainsBefore.containsKey(table)) {
                    CniChains.removeCreated(table, chainsBefore.get(table));
                }
            }
        }
    }

    private static void deleteDevices() {
        for (String d : DEVICES) {
            if (Files.exists(Path.of("/sys/class/net", d))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", d);
            }
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    private static String create(String name, String subnet, String device, String... more) {
        String[] base = {"network", "create", "--subnet", subnet, "-o", "com.docker.network.bridge.name=" + device};
        String[] all = new String[base.length + more.length + 1];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        all[all.length - 1] = name;
        return docker(all).assertOk().stdout().strip();
    }

    /** Runs a busybox shell script in a container to its end; returns exit code and output. */
    private static String[] runScript(String... runArgsThenScript) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d"));
        args.addAll(List.of(runArgsThenScript).subList(0, runArgsThenScript.length - 1));
        args.addAll(List.of(ref, "sh", "-c", runArgsThenScript[runArgsThenScript.length - 1]));
        String id = docker(args.toArray(String[]::new)).assertOk().stdout().strip();
        String code = docker("wait", id).assertOk().stdout().strip();
        Processes.Result logs = docker("logs", id);
        return new String[] {code, logs.stdout() + logs.stderr()};
    }

    @Test
    void createListInspectRemoveWithDockersErrors() {
        String id = create("networks-a", "10.64.1.0/24", "bn1", "--label", "networks.test=yes");
        assertTrue(id.matches("[0-9a-f]{64}"), id);

        String ls = docker("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}").assertOk().stdout();
        for (String line : List.of("bridge bridge local", "host host local", "none null local", "networks-a bridge local")) {
            assertTrue(ls.lines().anyMatch(line::equals), line + " in\n" + ls);
        }
        assertEquals(id.substring(0, 12), docker("network", "ls", "-q", "--filter", "label=networks.test=yes").assertOk().stdout().strip());
        assertEquals("networks-a", docker("network", "ls", "--format", "{{.Name}}", "--filter", "type=custom").assertOk().stdout().strip());
        assertEquals("networks-a", docker("network", "ls", "--format", "{{.Name}}", "--filter", "name=works-a").assertOk().stdout().strip());

        assertEquals("10.64.1.0/24 10.64.1.1 bridge false yes bn1", docker("network", "inspect", "-f",
                "{{(index .IPAM.Config 0).Subnet}} {{(index .IPAM.Config 0).Gateway}} {{.Driver}} {{.Internal}} "
                        + "{{index .Labels \"networks.test\"}} {{index .Options \"com.docker.network.bridge.name\"}}",
                "networks-a").assertOk().stdout().strip());
        assertEquals("networks-a", docker("network", "inspect", "-f", "{{.Name}}", id.substring(0, 10)).assertOk().stdout().strip());

        Processes.Result dup = docker("network", "create", "--subnet", "10.64.3.0/24", "networks-a");
        assertNotEquals(0, dup.exitCode());
        assertTrue(dup.stderr().contains("network with name networks-a already exists"), dup.stderr());
        Processes.Result overlap = docker("network", "create", "--subnet", "10.64.1.128/25", "networks-overlap");
        assertNotEquals(0, overlap.exitCode());
        assertTrue(overlap.stderr().contains("Pool overlaps with other one on this address space"), overlap.stderr());

        assertEquals("networks-a", docker("network", "ls", "--format", "{{.Name}}", "--filter", "dangling=true").assertOk().stdout().strip());
        // The docker CLI refuses an alias on the default bridge itself; the API gets Docker's daemon message.
        Processes.Result alias = Processes.run(Map.of(), null, 30, "curl", "-s", "--unix-socket", engine.daemon().socket().toString(),
                "-H", "Content-Type: application/json", "-d",
                "{\"Image\":\"" + ref + "\",\"Cmd\":[\"true\"],\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{\"Aliases\":[\"x\"]}}}}",
                "http://berth/v1.44/containers/create");
        assertTrue(alias.stdout().contains("network-scoped alias is supported only for containers in user defined networks"), alias.stdout());
        Processes.Result ip = docker("create", "--ip", "10.65.0.9", ref, "true");
        assertNotEquals(0, ip.exitCode());
        assertTrue(ip.stderr().contains("user specified IP address is supported on user defined networks only"), ip.stderr());

        Processes.Result predefined = docker("network", "rm", "bridge");
        assertNotEquals(0, predefined.exitCode());
        assertTrue(predefined.stderr().contains("bridge is a pre-defined network and cannot be removed"), predefined.stderr());
        Processes.Result missing = docker("network", "inspect", "networks-missing");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("network networks-missing not found"), missing.stderr());

        // The bridge device exists once a container is attached; rm with it running is refused.
        String c = docker("run", "-d", "--name", "networks-holder", "--network", "networks-a", ref, "sleep", "300")
                .assertOk().stdout().strip();
        assertTrue(Files.exists(Path.of("/sys/class/net/bn1")), "the bridge device bn1 exists");
        String containers = docker("network", "inspect", "-f",
                "{{range $id, $c := .Containers}}{{$id}} {{$c.Name}} {{$c.IPv4Address}}{{end}}", "networks-a").assertOk().stdout().strip();
        assertTrue(containers.matches(c + " networks-holder 10\\.64\\.1\\.\\d+/24"), containers);
        Processes.Result active = docker("network", "rm", "networks-a");
        assertNotEquals(0, active.exitCode());
        assertTrue(active.stderr().contains("has active endpoints"), active.stderr());
        docker("rm", "-f", c).assertOk();

        docker("network", "rm", "networks-a").assertOk();
        assertFalse(Files.exists(Path.of("/sys/class/net/bn1")), "the bridge device is deleted with the network");
        assertFalse(docker("network", "ls", "--format", "{{.Name}}").assertOk().stdout().lines().anyMatch("networks-a"::equals));
        assertFalse(CniChains.iptables("nat").contains("10.64.1."), "no NAT rule for the network's addresses remains");
        assertFalse(CniChains.iptables("filter").contains("10.64.1."), "no filter rule for the network's addresses remains");
    }

    @Test
    void containersResolveEachOtherByNameShortIdAndAliasOnAUserNetwork() {
        create("networks-dns", "10.64.2.0/24", "bn2");
        String server = docker("run", "-d", "--name", "networks-srv", "--network", "networks-dns", "--network-alias", "db",
                "--ip", "10.64.2.50", ref, "sleep", "300").assertOk().stdout().strip();
        assertEquals("10.64.2.50", docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"networks-dns\").IPAddress}}", server)
                .assertOk().stdout().strip());
        String[] r = runScript("--network", "networks-dns",
                "set -e; cat /etc/resolv.conf; nslookup networks-srv; ping -c1 -W2 networks-srv; ping -c1 -W2 db; "
                        + "ping -c1 -W2 " + server.substring(0, 12) + "; if nslookup networks-nobody; then exit 9; fi");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("nameserver 10.64.2.1"), r[1]);
        assertTrue(r[1].contains("10.64.2.50"), "nslookup and ping give the server's address:\n" + r[1]);
        assertTrue(r[1].contains("1 packets received"), r[1]);
    }

    @Test
    void theDefaultBridgeDoesNotResolveContainerNames() {
        docker("run", "-d", "--name", "networks-b1", ref, "sleep", "300").assertOk();
        assertEquals("networks-b1 bn0", docker("network", "inspect", "-f",
                "{{range .Containers}}{{.Name}}{{end}} {{index .Options \"com.docker.network.bridge.name\"}}", "bridge")
                .assertOk().stdout().strip());
        String[] r = runScript("if ping -c1 -W1 networks-b1; then exit 3; fi; cat /etc/resolv.conf");
        assertEquals("0", r[0], r[1]);
        assertFalse(r[1].contains("nameserver 127."), "loopback resolvers are filtered out: " + r[1]);
        assertFalse(r[1].contains("nameserver 10.65.0.1"), "no embedded DNS on the default bridge: " + r[1]);
    }

    @Test
    void etcFilesHaveHostnameAddHostAndDns() {
        String[] r = runScript("--hostname", "networks-host", "--add-host", "networks-extra:10.64.77.7", "--dns", "10.64.99.9",
                "--dns-search", "example.test",
                "cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; cat /etc/hostname; hostname");
        assertEquals("0", r[0], r[1]);
        String[] parts = r[1].split("---\n");
        assertTrue(parts[0].contains("127.0.0.1\tlocalhost"), parts[0]);
        assertTrue(parts[0].contains("10.64.77.7\tnetworks-extra"), parts[0]);
        assertTrue(parts[0].lines().anyMatch(l -> l.matches("10\\.65\\.0\\.\\d+\tnetworks-host")), "own address and hostname: " + parts[0]);
        assertTrue(parts[1].contains("nameserver 10.64.99.9") && parts[1].contains("search example.test"), parts[1]);
        assertEquals("networks-host\nnetworks-host\n", parts[2]);
    }

    @Test
    void connectAndDisconnectARunningContainerWithEvents() {
        Instant since = Instant.now();
        create("networks-c", "10.64.4.0/24", "bn4");
        String c = docker("run", "-d", "--name", "networks-mover", ref, "sleep", "300").assertOk().stdout().strip();
        String ns = "berth-" + c.substring(0, 12);

        docker("network", "connect", "--alias", "mover-alias", "networks-c", "networks-mover").assertOk();
        String addrs = Processes.run(Map.of(), null, 10, "ip", "netns", "exec", ns, "ip", "-o", "-4", "addr").assertOk().stdout();
        assertTrue(addrs.contains("eth1") && addrs.contains("10.64.4."), addrs);
        String nets = docker("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$n}}={{$e.IPAddress}} {{end}}", c)
                .assertOk().stdout().strip();
        assertTrue(nets.matches("bridge=10\\.65\\.0\\.\\d+ networks-c=10\\.64\\.4\\.\\d+"), nets);
        String[] r = runScript("--network", "networks-c", "ping -c1 -W2 mover-alias && ping -c1 -W2 networks-mover");
        assertEquals("0", r[0], r[1]);

        Processes.Result again = docker("network", "connect", "networks-c", "networks-mover");
        assertNotEquals(0, again.exitCode());
        assertTrue(again.stderr().contains("already exists in network networks-c"), again.stderr());

        docker("network", "disconnect", "networks-c", "networks-mover").assertOk();
        addrs = Processes.run(Map.of(), null, 10, "ip", "netns", "exec", ns, "ip", "-o", "-4", "addr").assertOk().stdout();
        assertFalse(addrs.contains("eth1"), addrs);
        assertTrue(addrs.contains("eth0") && addrs.contains(" lo "), "eth0 and loopback stay: " + addrs);
        r = runScript("--network", "networks-c", "if ping -c1 -W1 mover-alias; then exit 4; fi");
        assertEquals("0", r[0], r[1]);
        Processes.Result notConnected = docker("network", "disconnect", "networks-c", "networks-mover");
        assertNotEquals(0, notConnected.exitCode());
        assertTrue(notConnected.stderr().contains("is not connected to network networks-c"), notConnected.stderr());

        docker("rm", "-f", c).assertOk();
        docker("network", "rm", "networks-c").assertOk();
        String events = docker("events", "--since", String.valueOf(since.getEpochSecond()), "--until",
                String.valueOf(Instant.now().getEpochSecond() + 1), "--filter", "type=network", "--filter", "network=networks-c",
                "--format", "{{.Action}}").assertOk().stdout();
        List<String> actions = events.lines().toList();
        assertTrue(actions.contains("create") && actions.contains("connect") && actions.contains("disconnect")
                && actions.contains("destroy"), actions.toString());
        assertEquals("create", actions.getFirst(), actions.toString());
        assertEquals("destroy", actions.getLast(), actions.toString());
    }

    @Test
    void pruneRemovesUnusedUserNetworksOnly() {
        create("networks-p1", "10.64.5.0/24", "bn5");
        create("networks-p2", "10.64.6.0/24", "bn6", "--label", "keep=1");
        String out = docker("network", "prune", "-f", "--filter", "label!=keep").assertOk().stdout();
        assertTrue(out.contains("networks-p1") && !out.contains("networks-p2"), out);
        String ls = docker("network", "ls", "--format", "{{.Name}}").assertOk().stdout();
        assertTrue(ls.lines().anyMatch("networks-p2"::equals) && ls.lines().noneMatch("networks-p1"::equals), ls);
        assertTrue(ls.lines().anyMatch("bridge"::equals), "predefined networks are never pruned: " + ls);
    }

    @Test
    void namesStillResolveAfterADaemonRestartAndInternalNetworksHaveNoDefaultRoute() throws Exception {
        create("networks-r", "10.64.7.0/24", "bn7", "--internal");
        String server = docker("run", "-d", "--name", "networks-survivor", "--network", "networks-r", ref, "sleep", "300")
                .assertOk().stdout().strip();
        engine.daemon().restart();
        assertEquals("true", docker("inspect", "-f", "{{.State.Running}}", server).assertOk().stdout().strip());
        String[] r = runScript("--network", "networks-r", "ping -c1 -W2 networks-survivor && ip route");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("1 packets received"), r[1]);
        assertFalse(r[1].contains("default"), "an internal network gives no default route: " + r[1]);
        assertEquals("true", docker("network", "inspect", "-f", "{{.Internal}}", "networks-r").assertOk().stdout().strip());
    }

    @Test
    void aCreatedContainerConnectedBeforeStartGetsBothNetworks() {
        create("networks-early", "10.64.8.0/24", "bn8");
        String c = docker("create", "--name", "networks-later", ref, "sleep", "300").assertOk().stdout().strip();
        docker("network", "connect", "--ip", "10.64.8.77", "networks-early", c).assertOk();
        assertEquals("bridge= networks-early=", docker("inspect", "-f",
                "{{range $n, $e := .NetworkSettings.Networks}}{{$n}}={{$e.IPAddress}} {{end}}", c).assertOk().stdout().strip(),
                "not running: no addresses yet");
        docker("start", c).assertOk();
        String nets = docker("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$n}}={{$e.IPAddress}} {{end}}", c)
                .assertOk().stdout().strip();
        assertTrue(nets.matches("bridge=10\\.65\\.0\\.\\d+ networks-early=10\\.64\\.8\\.77"), nets);
        String[] r = runScript("--network", "networks-early", "ping -c1 -W2 networks-later");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("10.64.8.77"), r[1]);
    }

    @Test
    void gatewayAndIpRangeAreHonoured() {
        create("networks-g", "10.64.3.0/24", "bn3", "--gateway", "10.64.3.254", "--ip-range", "10.64.3.128/25");
        assertEquals("10.64.3.254 10.64.3.128/25", docker("network", "inspect", "-f",
                "{{(index .IPAM.Config 0).Gateway}} {{(index .IPAM.Config 0).IPRange}}", "networks-g").assertOk().stdout().strip());
        String[] r = runScript("--network", "networks-g", "ip -o -4 addr show eth0; ip route; cat /etc/resolv.conf");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].matches("(?s).*inet 10\\.64\\.3\\.(12[89]|1[3-9]\\d|2[0-4]\\d|25[0-4])/24.*"), "an address from the range: " + r[1]);
        assertTrue(r[1].contains("default via 10.64.3.254"), r[1]);
        assertTrue(r[1].contains("nameserver 10.64.3.254"), r[1]);
    }

    @Test
    void theMtuOptionReachesTheContainersInterfaceAndABadOneIsRefused() {
        create("networks-mtu", "10.64.6.0/24", "bn5", "-o", "com.docker.network.driver.mtu=1400");
        String[] r = runScript("--network", "networks-mtu", "cat /sys/class/net/eth0/mtu");
        assertEquals("0", r[0], r[1]);
        assertEquals("1400", r[1].strip());
        Processes.Result bad = docker("network", "create", "--subnet", "10.64.5.0/24", "-o", "com.docker.network.driver.mtu=big",
                "networks-badmtu");
        assertTrue(bad.exitCode() != 0 && bad.stderr().contains("invalid MTU number: big"), bad.stderr());
        assertEquals(1, docker("network", "inspect", "networks-badmtu").exitCode(), "nothing made");
    }
}
