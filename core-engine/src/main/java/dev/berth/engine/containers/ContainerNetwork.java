package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.network.BridgeNetwork;
import dev.berth.engine.network.NetworkNamespace;
import dev.berth.engine.network.PortMapping;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A container's place on Docker's default {@code bridge} network: a named namespace
 * ({@code /run/netns/berth-<12 hex>}) made at start, attached to the engine's {@link BridgeNetwork}
 * with the container's published ports, and torn down at exit and removal.
 *
 * <p>The network mode is decided at create and kept in {@code HostConfig.NetworkMode}; what the
 * attachment gave (address, gateway, MAC, resolved host ports) is kept under {@code Network} in the
 * container's stored config while it runs, so a restarted daemon can still detach it.
 */
final class ContainerNetwork {
    private static final Logger LOG = Logger.getLogger(ContainerNetwork.class.getName());
    static final String STATE = "Network";
    static final String BRIDGE = "bridge";
    static final String NONE = "none";
    static final String HOST = "host";

    private final BridgeNetwork bridge;
    private final String bridgeProblem;
    private final ContainerStore store;

    /** @param bridge null when this host cannot run the bridge network; {@code bridgeProblem} says why */
    ContainerNetwork(BridgeNetwork bridge, String bridgeProblem, ContainerStore store) {
        this.bridge = bridge;
        this.bridgeProblem = bridgeProblem;
        this.store = store;
    }

    /** Docker's network mode for a create request, checking the published ports it asks for. */
    String mode(String requested, JsonNode hc, JsonNode exposed, List<String> warnings) {
        String mode = switch (requested == null ? "" : requested) {
            case "none" -> NONE;
            case "host" -> HOST;
            case "", "default", "bridge" -> {
                if (bridge != null) {
                    yield BRIDGE;
                }
                warnings.add("Berth cannot run the bridge network on this host (" + bridgeProblem
                        + "); this container has only a loopback interface (network mode \"none\")");
                yield NONE;
            }
            default -> throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "network mode \"" + requested
                    + "\" is not supported by Berth yet; only \"bridge\", \"none\" and \"host\" are");
        };
        List<PortMapping> ports = requestedPorts(hc, exposed, null);
        if (!ports.isEmpty() && !mode.equals(BRIDGE)) {
            warnings.add("Published ports are discarded when using network mode \"" + mode + "\"");
        }
        return mode;
    }

    static String netnsName(String id) {
        return "berth-" + id.substring(0, 12);
    }

    /** The namespace the spec joins: the container's own for bridge, the host's for host, a fresh one for none. */
    String netnsPath(String id, String mode) {
        return mode.equals(BRIDGE) ? NetworkNamespace.NETNS_DIR.resolve(netnsName(id)).toString() : null;
    }

    /** With {@code host}, the spec lists no network namespace, so the container shares the host's. */
    static void applyToSpec(String mode, ObjectNode spec) {
        if (!mode.equals(HOST)) {
            return;
        }
        JsonNode ns = spec.path("linux").path("namespaces");
        if (ns instanceof ArrayNode a) {
            for (int i = a.size() - 1; i >= 0; i--) {
                if ("network".equals(a.get(i).path("type").asText())) {
                    a.remove(i);
                }
            }
        }
    }

    static String mode(ContainerRecord r) {
        return r.config().path("HostConfig").path("NetworkMode").asText(NONE);
    }

    /**
     * Before runc creates the container: a fresh namespace attached to the bridge with the ports
     * resolved (an empty HostPort gets a free one). Serialised, so two starts cannot take one port.
     */
    synchronized void setUp(ContainerRecord r) {
        if (!mode(r).equals(BRIDGE)) {
            return;
        }
        tearDown(r.id()); // whatever a crashed start or daemon left behind
        NetworkNamespace ns = NetworkNamespace.create(netnsName(r.id()));
        if (bridge == null) {
            LOG.warning("container " + r.id() + " was created for the bridge network, which this host cannot run now ("
                    + bridgeProblem + "); it gets only a loopback interface");
            return;
        }
        List<PortMapping> ports = requestedPorts(r.config().path("HostConfig"),
                r.config().path("Config").path("ExposedPorts"), usedPorts(r.id()));
        BridgeNetwork.Attachment a;
        ObjectNode state = Json.MAPPER.createObjectNode();
        state.put("Netns", ns.path().toString());
        ArrayNode ps = state.putArray("Ports");
        for (PortMapping p : ports) {
            ps.addObject().put("HostIp", p.hostIp() == null ? "" : p.hostIp()).put("HostPort", p.hostPort())
                    .put("ContainerPort", p.containerPort()).put("Protocol", p.protocol());
        }
        // Recorded before the attach, so a crash in between still leaves enough to detach.
        saveState(r.id(), state);
        a = bridge.attach(r.id(), ns.path(), ports);
        state.put("IPAddress", a.ip()).put("IPPrefixLen", a.prefixLength()).put("Gateway", a.gateway())
                .put("MacAddress", a.mac() == null ? "" : a.mac());
        saveState(r.id(), state);
    }

    /** Detaches and deletes the namespace. Idempotent, and never throws: exit and rm must not fail on it. */
    synchronized void tearDown(String id) {
        var r = store.get(id);
        if (r.isEmpty()) {
            return;
        }
        JsonNode state = r.get().config().get(STATE);
        NetworkNamespace ns = NetworkNamespace.named(netnsName(id));
        if (state == null && !ns.exists()) {
            return;
        }
        if (bridge != null && mode(r.get()).equals(BRIDGE)) {
            try {
                bridge.detach(id, ns.exists() ? ns.path() : null, ports(state));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "detaching container " + id + " from the bridge failed", e);
            }
        }
        try {
            ns.delete();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting the network namespace of " + id + " failed", e);
        }
        if (state != null) {
            ObjectNode cfg = r.get().config().deepCopy();
            cfg.remove(STATE);
            store.updateConfig(id, cfg);
        }
    }

    private void saveState(String id, ObjectNode state) {
        ObjectNode cfg = store.get(id).orElseThrow(() -> BerthException.notFound("No such container: " + id))
                .config().deepCopy();
        cfg.set(STATE, state);
        store.updateConfig(id, cfg);
    }

    private static List<PortMapping> ports(JsonNode state) {
        List<PortMapping> out = new ArrayList<>();
        if (state != null) {
            for (JsonNode p : state.path("Ports")) {
                out.add(new PortMapping(p.path("HostIp").asText(""), p.path("HostPort").asInt(),
                        p.path("ContainerPort").asInt(), p.path("Protocol").asText("tcp")));
            }
        }
        return out;
    }

    /** Host ports other containers hold: the DNAT rules bind nothing, so only this bookkeeping sees them. */
    private Set<String> usedPorts(String except) {
        Set<String> used = new HashSet<>();
        for (ContainerRecord c : store.all()) {
            if (!c.id().equals(except)) {
                for (PortMapping p : ports(c.config().get(STATE))) {
                    used.add(p.hostPort() + "/" + p.protocol());
                }
            }
        }
        return used;
    }

    /**
     * HostConfig.PortBindings, plus every ExposedPorts entry under PublishAllPorts; with {@code used}
     * null only validates (empty host ports stay unresolved), otherwise picks free ports and checks
     * conflicts with other containers.
     */
    private static List<PortMapping> requestedPorts(JsonNode hc, JsonNode exposed, Set<String> used) {
        List<PortMapping> out = new ArrayList<>();
        JsonNode bindings = hc.path("PortBindings");
        Set<String> bound = new HashSet<>();
        if (bindings.isObject()) {
            for (var e : bindings.properties()) {
                bound.add(e.getKey());
                int[] cp = containerPort(e.getKey());
                JsonNode list = e.getValue();
                if (list == null || list.isNull() || list.isEmpty()) {
                    out.add(mapping("", "", cp, used));
                    continue;
                }
                for (JsonNode b : list) {
                    out.add(mapping(b.path("HostIp").asText(""), b.path("HostPort").asText(""), cp, used));
                }
            }
        }
        if (hc.path("PublishAllPorts").asBoolean(false)) {
            for (var e : exposed.properties()) {
                if (!bound.contains(e.getKey())) {
                    out.add(mapping("", "", containerPort(e.getKey()), used));
                }
            }
        }
        return out;
    }

    private static int[] containerPort(String key) {
        String[] pp = key.split("/", 2);
        String proto = pp.length > 1 ? pp[1] : "tcp";
        int protoCode = switch (proto) {
            case "tcp" -> 0;
            case "udp" -> 1;
            case "sctp" -> 2;
            default -> throw BerthException.invalid("invalid proto: " + proto);
        };
        try {
            if (pp[0].contains("-")) {
                throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "port ranges (" + key + ") are not supported by Berth yet");
            }
            return new int[]{Integer.parseInt(pp[0]), protoCode};
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid port specification: \"" + key + "\"");
        }
    }

    private static final String[] PROTOS = {"tcp", "udp", "sctp"};

    private static PortMapping mapping(String hostIp, String hostPort, int[] cp, Set<String> used) {
        String proto = PROTOS[cp[1]];
        if (hostPort.contains("-")) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "host port ranges (" + hostPort + ") are not supported by Berth yet");
        }
        int port;
        if (hostPort.isEmpty()) {
            if (used == null) {
                return new PortMapping(hostIp, 1, cp[0], proto); // validated only; resolved at start
            }
            port = freePort(hostIp, proto, used);
        } else {
            try {
                port = Integer.parseInt(hostPort);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid host port: \"" + hostPort + "\"");
            }
        }
        PortMapping m = new PortMapping(hostIp, port, cp[0], proto);
        if (used != null && !used.add(port + "/" + proto)) {
            throw BerthException.conflict("Bind for " + (m.hostIp() == null ? "0.0.0.0" : m.hostIp()) + ":" + port
                    + " failed: port is already allocated");
        }
        return m;
    }

    /** What the kernel gives an ephemeral bind, skipping ports other containers publish. */
    private static int freePort(String hostIp, String proto, Set<String> used) {
        for (int i = 0; i < 100; i++) {
            int p;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp, 0));
                p = s.getLocalPort();
            } catch (IOException e) {
                throw BerthException.system("cannot find a free host port: " + e.getMessage(), e);
            }
            if (!used.contains(p + "/" + proto)) {
                return p;
            }
        }
        throw BerthException.system("cannot find a free host port", null);
    }

    // ---- inspect / ps ----

    private static String hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** NetworkSettings in Docker's shape; the address fields are empty while the container is not attached. */
    Map<String, Object> settings(ContainerRecord r) {
        String mode = mode(r);
        JsonNode state = r.config().get(STATE);
        boolean attached = state != null && state.has("IPAddress");
        String ip = attached ? state.path("IPAddress").asText() : "";
        String gw = attached ? state.path("Gateway").asText() : "";
        String mac = attached ? state.path("MacAddress").asText() : "";
        int prefix = attached ? state.path("IPPrefixLen").asInt() : 0;
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("SandboxKey", attached ? state.path("Netns").asText() : "");
        Map<String, Object> portMap = new LinkedHashMap<>();
        if (attached) {
            for (PortMapping p : ports(state)) {
                @SuppressWarnings("unchecked")
                List<Map<String, String>> l = (List<Map<String, String>>) portMap.computeIfAbsent(
                        p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
                l.add(Map.of("HostIp", p.hostIp() == null ? "0.0.0.0" : p.hostIp(), "HostPort", String.valueOf(p.hostPort())));
            }
            r.config().path("Config").path("ExposedPorts").fieldNames().forEachRemaining(k -> {
                if (!portMap.containsKey(k)) {
                    portMap.put(k, null);
                }
            });
        }
        net.put("Ports", portMap);
        net.put("EndpointID", attached ? hex("endpoint:" + r.id() + ":" + ip) : "");
        net.put("Gateway", gw);
        net.put("GlobalIPv6Address", "");
        net.put("GlobalIPv6PrefixLen", 0);
        net.put("IPAddress", ip);
        net.put("IPPrefixLen", prefix);
        net.put("IPv6Gateway", "");
        net.put("MacAddress", mac);
        Map<String, Object> ep = new LinkedHashMap<>();
        ep.put("IPAMConfig", null);
        ep.put("Links", null);
        ep.put("Aliases", null);
        ep.put("MacAddress", mac);
        ep.put("NetworkID", hex("network:" + (mode.equals(BRIDGE) && bridge != null ? bridge.options().name() : mode)));
        ep.put("EndpointID", net.get("EndpointID"));
        ep.put("Gateway", gw);
        ep.put("IPAddress", ip);
        ep.put("IPPrefixLen", prefix);
        ep.put("IPv6Gateway", "");
        ep.put("GlobalIPv6Address", "");
        ep.put("GlobalIPv6PrefixLen", 0);
        ep.put("DriverOpts", null);
        ep.put("DNSNames", null);
        net.put("Networks", Map.of(mode, ep));
        return net;
    }

    /** The {@code Ports} array of {@code GET /containers/json}. */
    static List<Map<String, Object>> psPorts(ContainerRecord r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PortMapping p : ports(r.config().get(STATE))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("IP", p.hostIp() == null ? "0.0.0.0" : p.hostIp());
            m.put("PrivatePort", p.containerPort());
            m.put("PublicPort", p.hostPort());
            m.put("Type", p.protocol());
            out.add(m);
        }
        return out;
    }
}
