package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.network.BridgeNetwork;
import dev.berth.engine.network.Cidr;
import dev.berth.engine.network.NetworkNamespace;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.PortMapping;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A container's networks: a named namespace ({@code /run/netns/berth-<12 hex>}) made at start,
 * attached to each of its networks through CNI (eth0 for the first, which owns the default route and
 * the published ports, eth1… for the others), and torn down at exit and removal. {@code docker
 * network connect/disconnect} add and remove interfaces of a running container the same way.
 *
 * <p>The network mode is decided at create and kept in {@code HostConfig.NetworkMode}; which
 * networks the container belongs to (with aliases and a requested address) is kept under
 * {@code Endpoints} in its stored config; what the attachments gave (address, gateway, MAC,
 * interface, resolved host ports) is kept under {@code Network} while it runs, so a restarted daemon
 * can still detach it. On user-defined networks the container's names are registered with the
 * network's embedded DNS; its {@code /etc} files come from {@link EtcFiles}.
 */
final class ContainerNetwork {
    private static final Logger LOG = Logger.getLogger(ContainerNetwork.class.getName());
    static final String STATE = "Network";
    static final String ENDPOINTS = "Endpoints";
    static final String BRIDGE = "bridge";
    static final String NONE = "none";
    static final String HOST = "host";

    private final NetworkService networks;
    private final BridgeNetwork bridge;
    private final String bridgeProblem;
    private final ContainerStore store;
    private final Path containersDir;

    /**
     * @param networks null when this engine has no networks at all (only none and host work)
     * @param bridgeProblem why the default bridge cannot run here, when {@code networks} has none
     */
    ContainerNetwork(NetworkService networks, String bridgeProblem, ContainerStore store, Path containersDir) {
        this.networks = networks;
        this.bridge = networks == null ? null : networks.defaultBridge();
        this.bridgeProblem = bridgeProblem;
        this.store = store;
        this.containersDir = containersDir;
    }

    private NetworkService.Net resolveNet(String ref) {
        if (networks == null) {
            throw BerthException.notFound("network " + ref + " not found");
        }
        // docker run without --network sends its endpoint under "default", the daemon's default network.
        return networks.resolve("default".equals(ref) ? BRIDGE : ref);
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
            default -> {
                if (requested.startsWith("container:")) {
                    throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "network mode \"" + requested
                            + "\" is not supported by Berth yet");
                }
                NetworkService.Net n = resolveNet(requested);
                if (n.name().equals(BRIDGE) && bridge == null) {
                    yield mode("bridge", hc, exposed, warnings);
                }
                yield n.name();
            }
        };
        List<PortMapping> ports = requestedPorts(hc, exposed, null);
        if (!ports.isEmpty() && (mode.equals(NONE) || mode.equals(HOST))) {
            warnings.add("Published ports are discarded when using network mode \"" + mode + "\"");
        }
        return mode;
    }

    private static boolean needsNetns(String mode) {
        return !mode.equals(NONE) && !mode.equals(HOST);
    }

    /**
     * The networks a new container joins, keyed by network name, its mode's network first: each with
     * its id, aliases ({@code --network-alias}) and requested address ({@code --ip}), validated here
     * with Docker's messages so a bad request fails at create.
     */
    ObjectNode endpoints(String mode, JsonNode networkingConfig) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode requested = networkingConfig.path("EndpointsConfig");
        if (mode.equals(NONE) || mode.equals(HOST)) {
            if (requested.size() > 1) {
                throw BerthException.invalid("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
            }
            out.set(mode, endpoint(null, mode, requested.properties().stream().findFirst().map(Map.Entry::getValue).orElse(null)));
            return out;
        }
        NetworkService.Net primary = resolveNet(mode);
        JsonNode primaryConfig = null;
        List<Map.Entry<String, JsonNode>> others = new ArrayList<>();
        for (var e : requested.properties()) {
            NetworkService.Net n = resolveNet(e.getKey());
            if (n.id().equals(primary.id())) {
                primaryConfig = e.getValue();
            } else {
                if (!n.userDefined() && !n.name().equals(BRIDGE)) {
                    throw BerthException.invalid("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
                }
                others.add(e);
            }
        }
        out.set(primary.name(), endpoint(primary, primary.name(), primaryConfig));
        for (var e : others) {
            NetworkService.Net n = resolveNet(e.getKey());
            out.set(n.name(), endpoint(n, n.name(), e.getValue()));
        }
        return out;
    }

    private static ObjectNode endpoint(NetworkService.Net n, String name, JsonNode requested) {
        ObjectNode ep = Json.MAPPER.createObjectNode();
        ep.put("NetworkID", n == null ? "" : n.id());
        List<String> aliases = new ArrayList<>();
        if (requested != null) {
            requested.path("Aliases").forEach(a -> aliases.add(a.asText()));
        }
        String ip = requested == null ? "" : requested.path("IPAMConfig").path("IPv4Address").asText("");
        boolean user = n != null && n.userDefined();
        if (!aliases.isEmpty() && !user) {
            throw BerthException.invalid("network-scoped alias is supported only for containers in user defined networks");
        }
        if (!ip.isEmpty()) {
            if (!user) {
                throw BerthException.invalid("user specified IP address is supported on user defined networks only");
            }
            int a = Cidr.address(ip);
            if (!Cidr.parse(n.record().subnet()).contains(a)) {
                throw BerthException.invalid("no configured subnet or ip-range contain the IP address " + ip);
            }
        }
        ArrayNode al = ep.putArray("Aliases");
        aliases.forEach(al::add);
        if (!ip.isEmpty()) {
            ep.putObject("IPAMConfig").put("IPv4Address", ip);
        } else {
            ep.putNull("IPAMConfig");
        }
        return ep;
    }

    /** The stored endpoints; a container created before endpoints were recorded is on its mode's network. */
    static ObjectNode endpointsOf(ContainerRecord r) {
        JsonNode e = r.config().get(ENDPOINTS);
        if (e instanceof ObjectNode o) {
            return o.deepCopy();
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.putObject(mode(r)).put("NetworkID", "").putNull("IPAMConfig");
        return out;
    }

    static String netnsName(String id) {
        return "berth-" + id.substring(0, 12);
    }

    /** The namespace the spec joins: the container's own on bridge networks, the host's for host, a fresh one for none. */
    String netnsPath(String id, String mode) {
        return needsNetns(mode) ? NetworkNamespace.NETNS_DIR.resolve(netnsName(id)).toString() : null;
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

    /** The network an endpoint or attachment names: by id, else (for the predefined ones and old records) by name. */
    private Optional<NetworkService.Net> lookup(String networkId, String name) {
        if (networks == null) {
            return Optional.empty();
        }
        if (networkId != null && !networkId.isEmpty()) {
            Optional<NetworkService.Net> byId = networks.byId(networkId);
            if (byId.isPresent()) {
                return byId;
            }
        }
        try {
            return Optional.of(networks.resolve(name));
        } catch (BerthException e) {
            return Optional.empty();
        }
    }

    /**
     * Before runc creates the container: a fresh namespace attached to each network, the first with
     * the ports resolved (an empty HostPort gets a free one), then the /etc files. Serialised, so two
     * starts cannot take one port.
     */
    synchronized void setUp(ContainerRecord r) {
        String mode = mode(r);
        if (!needsNetns(mode)) {
            writeEtc(r.id());
            return;
        }
        tearDown(r.id()); // whatever a crashed start or daemon left behind
        NetworkNamespace ns = NetworkNamespace.create(netnsName(r.id()));
        if (mode.equals(BRIDGE) && bridge == null) {
            LOG.warning("container " + r.id() + " was created for the bridge network, which this host cannot run now ("
                    + bridgeProblem + "); it gets only a loopback interface");
            writeEtc(r.id());
            return;
        }
        List<PortMapping> ports = requestedPorts(r.config().path("HostConfig"),
                r.config().path("Config").path("ExposedPorts"), usedPorts(r.id()));
        ObjectNode state = Json.MAPPER.createObjectNode();
        state.put("Netns", ns.path().toString());
        ArrayNode ps = state.putArray("Ports");
        for (PortMapping p : ports) {
            ps.addObject().put("HostIp", p.hostIp() == null ? "" : p.hostIp()).put("HostPort", p.hostPort())
                    .put("ContainerPort", p.containerPort()).put("Protocol", p.protocol());
        }
        ObjectNode attachments = state.putObject("Attachments");
        saveState(r.id(), state);
        int index = 0;
        for (var e : endpointsOf(r).properties()) {
            NetworkService.Net n = lookup(e.getValue().path("NetworkID").asText(""), e.getKey())
                    .orElseThrow(() -> BerthException.notFound("network " + e.getKey() + " not found"));
            if (n.bridge() == null) {
                LOG.warning("network " + n.name() + " cannot run on this host; container " + r.id() + " is not attached to it");
                continue;
            }
            boolean primary = index == 0;
            attach(r, n, e.getValue(), "eth" + index, primary, primary ? ports : List.of(), state, attachments);
            index++;
        }
        writeEtc(r.id());
    }

    /** One CNI attachment, recorded before (enough to detach after a crash) and after (what it gave). */
    private void attach(ContainerRecord r, NetworkService.Net n, JsonNode endpoint, String ifname, boolean primary,
                        List<PortMapping> ports, ObjectNode state, ObjectNode attachments) {
        ObjectNode att = attachments.putObject(n.name());
        att.put("NetworkID", n.id()).put("IfName", ifname);
        String ip = endpoint.path("IPAMConfig").path("IPv4Address").asText("");
        BridgeNetwork.Attachment a = networks.whileExists(n, () -> {
            saveState(r.id(), state);
            BridgeNetwork.Attachment made = n.bridge().attach(r.id(), Path.of(state.path("Netns").asText()), ports, ifname,
                    primary, ip.isEmpty() ? null : ip);
            att.put("IPAddress", made.ip()).put("IPPrefixLen", made.prefixLength()).put("Gateway", made.gateway())
                    .put("MacAddress", made.mac() == null ? "" : made.mac());
            saveState(r.id(), state);
            return made;
        });
        if (n.userDefined()) {
            n.dns().register(r.id(), dnsNames(r, endpoint), a.ip());
            n.dns().ensureStarted(a.gateway());
        }
        networks.publish("connect", n.id(), n.name(), r.id());
    }

    /** Docker's DNSNames: the container's name, its short id, its aliases on this network and its hostname. */
    static List<String> dnsNames(ContainerRecord r, JsonNode endpoint) {
        List<String> names = new ArrayList<>();
        names.add(r.name());
        names.add(r.id().substring(0, 12));
        endpoint.path("Aliases").forEach(a -> names.add(a.asText()));
        String hostname = r.config().path("Config").path("Hostname").asText("");
        if (!hostname.isEmpty()) {
            names.add(hostname);
        }
        return names.stream().distinct().toList();
    }

    /** After a daemon restart: the running container's names go back into its networks' DNS. */
    synchronized void adopt(ContainerRecord r) {
        JsonNode state = r.config().get(STATE);
        if (state == null) {
            return;
        }
        ObjectNode endpoints = endpointsOf(r);
        for (var a : state.path("Attachments").properties()) {
            Optional<NetworkService.Net> n = lookup(a.getValue().path("NetworkID").asText(""), a.getKey());
            if (n.isPresent() && n.get().userDefined() && a.getValue().has("IPAddress")) {
                n.get().dns().register(r.id(), dnsNames(r, endpoints.path(a.getKey())), a.getValue().path("IPAddress").asText());
                n.get().dns().ensureStarted(a.getValue().path("Gateway").asText());
            }
        }
    }

    /** Detaches every interface and deletes the namespace. Idempotent, and never throws: exit and rm must not fail on it. */
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
        Path nsPath = ns.exists() ? ns.path() : null;
        if (state != null && !state.has("Attachments") && state.has("Netns") && bridge != null
                && mode(r.get()).equals(BRIDGE)) {
            // Recorded by an engine before multi-network support: one attachment to the default bridge.
            try {
                bridge.detach(id, nsPath, ports(state));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "detaching container " + id + " from the bridge failed", e);
            }
        }
        if (state != null) {
            for (var a : state.path("Attachments").properties()) {
                detachOne(id, a.getKey(), a.getValue(), nsPath, ports(state), false);
            }
        }
        try {
            ns.delete();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting the network namespace of " + id + " failed", e);
        }
        if (state != null) {
            ObjectNode cfg = store.get(id).map(c -> c.config().deepCopy()).orElse(r.get().config().deepCopy());
            cfg.remove(STATE);
            store.updateConfig(id, cfg);
        }
    }

    /**
     * CNI DEL of one interface (with the ports when it is eth0, portmap finds its rules by them),
     * out of the DNS, and a disconnect event. {@code keepLoopback} for a disconnect of a running container.
     */
    private void detachOne(String id, String name, JsonNode att, Path nsPath, List<PortMapping> ports, boolean keepLoopback) {
        Optional<NetworkService.Net> n = lookup(att.path("NetworkID").asText(""), name);
        if (n.isEmpty()) {
            return;
        }
        String ifname = att.path("IfName").asText(BridgeNetwork.IFNAME);
        boolean first = ifname.equals(BridgeNetwork.IFNAME);
        if (n.get().bridge() != null) {
            try {
                n.get().bridge().detach(id, nsPath, first ? ports : List.of(), ifname, first && !keepLoopback);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "detaching container " + id + " from network " + name + " failed", e);
            }
        }
        if (n.get().userDefined()) {
            n.get().dns().unregister(id);
        }
        if (att.has("IPAddress")) {
            networks.publish("disconnect", n.get().id(), n.get().name(), id);
        }
    }

    // ---- connect / disconnect ----

    /** {@code docker network connect}: recorded for the next start, and attached now when running. */
    synchronized void connect(ContainerRecord r, String networkRef, JsonNode endpointConfig) {
        NetworkService.Net n = resolveNet(networkRef);
        String mode = mode(r);
        if (mode.equals(HOST) || n.name().equals(HOST)) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "container cannot be disconnected from host network or connected to host network");
        }
        if (mode.equals(NONE) || n.name().equals(NONE)) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "container cannot be connected to multiple networks with one of the networks in private (none) mode");
        }
        ObjectNode endpoints = endpointsOf(r);
        if (endpoints.has(n.name())) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "endpoint with name " + r.name() + " already exists in network " + n.name());
        }
        ObjectNode ep = endpoint(n, n.name(), endpointConfig);
        ContainerRecord now = store.get(r.id()).orElseThrow(() -> BerthException.notFound("No such container: " + r.id()));
        if (now.running() && now.config().get(STATE) instanceof ObjectNode st) {
            if (n.bridge() == null) {
                throw BerthException.system("network " + n.name() + " cannot run on this host", null);
            }
            ObjectNode state = st.deepCopy();
            ObjectNode attachments = state.has("Attachments") ? (ObjectNode) state.get("Attachments") : state.putObject("Attachments");
            Set<String> used = new HashSet<>();
            attachments.properties().forEach(a -> used.add(a.getValue().path("IfName").asText()));
            int i = 0;
            while (used.contains("eth" + i)) {
                i++;
            }
            attach(now, n, ep, "eth" + i, attachments.isEmpty(), List.of(), state, attachments);
        }
        endpoints.set(n.name(), ep);
        saveEndpoints(r.id(), endpoints);
        writeEtc(r.id());
    }

    /** {@code docker network disconnect}: the interface goes now when running, and the network from the next starts. */
    synchronized void disconnect(ContainerRecord r, String networkRef, boolean force) {
        NetworkService.Net n;
        try {
            n = resolveNet(networkRef);
        } catch (BerthException e) {
            if (!force) {
                throw e;
            }
            ObjectNode endpoints = endpointsOf(r);
            if (endpoints.remove(networkRef) != null) {
                saveEndpoints(r.id(), endpoints);
            }
            return;
        }
        if (mode(r).equals(HOST) || n.name().equals(HOST)) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "container cannot be disconnected from host network or connected to host network");
        }
        ObjectNode endpoints = endpointsOf(r);
        if (!endpoints.has(n.name())) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "container " + r.id() + " is not connected to network " + n.name());
        }
        ContainerRecord now = store.get(r.id()).orElseThrow(() -> BerthException.notFound("No such container: " + r.id()));
        if (now.config().get(STATE) instanceof ObjectNode st && st.path("Attachments").has(n.name())) {
            ObjectNode state = st.deepCopy();
            JsonNode att = ((ObjectNode) state.get("Attachments")).remove(n.name());
            String netns = state.path("Netns").asText("");
            detachOne(r.id(), n.name(), att, netns.isEmpty() ? null : Path.of(netns), ports(state), true);
            saveState(r.id(), state);
        }
        endpoints.remove(n.name());
        saveEndpoints(r.id(), endpoints);
        writeEtc(r.id());
    }

    /** The running containers attached to a network: its "active endpoints". */
    List<NetworkService.Endpoint> endpointsOn(String networkId) {
        List<NetworkService.Endpoint> out = new ArrayList<>();
        for (ContainerRecord c : store.all()) {
            JsonNode state = c.config().get(STATE);
            if (state == null) {
                continue;
            }
            for (var a : state.path("Attachments").properties()) {
                JsonNode v = a.getValue();
                if (v.path("NetworkID").asText("").equals(networkId)) {
                    String ip = v.path("IPAddress").asText("");
                    out.add(new NetworkService.Endpoint(c.id(), c.name(), ip.isEmpty() ? "" : hex("endpoint:" + c.id() + ":" + ip),
                            v.path("MacAddress").asText(""), ip, v.path("IPPrefixLen").asInt()));
                }
            }
        }
        return out;
    }

    /** Rewrites the container's /etc files from what it is attached to now. */
    private void writeEtc(String id) {
        ContainerRecord r = store.get(id).orElse(null);
        if (r == null) {
            return;
        }
        List<String> ips = new ArrayList<>();
        String embedded = null;
        JsonNode state = r.config().get(STATE);
        if (state != null) {
            for (var a : state.path("Attachments").properties()) {
                String ip = a.getValue().path("IPAddress").asText("");
                if (ip.isEmpty()) {
                    continue;
                }
                ips.add(ip);
                Optional<NetworkService.Net> n = lookup(a.getValue().path("NetworkID").asText(""), a.getKey());
                if (embedded == null && n.isPresent() && n.get().userDefined()) {
                    embedded = a.getValue().path("Gateway").asText();
                }
            }
            if (!state.has("Attachments") && state.has("IPAddress")) {
                ips.add(state.path("IPAddress").asText());
            }
        }
        String hostname = r.config().path("Config").path("Hostname").asText("");
        if ("host".equals(r.config().path("HostConfig").path("UTSMode").asText(""))) {
            hostname = dev.berth.engine.runtime.OciSpecBuilder.hostHostname(); // --uts host: the host's name
        }
        EtcFiles.write(containersDir.resolve(id), new EtcFiles.Inputs(hostname.isEmpty() ? id.substring(0, 12) : hostname,
                mode(r), ips, embedded, r.config().path("HostConfig"), bridge == null ? null : bridge.gateway()));
    }

    private void saveState(String id, ObjectNode state) {
        ObjectNode cfg = store.get(id).orElseThrow(() -> BerthException.notFound("No such container: " + id))
                .config().deepCopy();
        cfg.set(STATE, state.deepCopy());
        store.updateConfig(id, cfg);
    }

    private void saveEndpoints(String id, ObjectNode endpoints) {
        ObjectNode cfg = store.get(id).orElseThrow(() -> BerthException.notFound("No such container: " + id))
                .config().deepCopy();
        cfg.set(ENDPOINTS, endpoints);
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
            // A range here is moby's 400 too: clients (the docker CLI) expand -p 80-81 into one key per port.
            return new int[]{Integer.parseInt(pp[0]), protoCode};
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid port specification: \"" + pp[0] + "\""); // moby's message, port only
        }
    }

    private static final String[] PROTOS = {"tcp", "udp", "sctp"};

    private static PortMapping mapping(String hostIp, String hostPort, int[] cp, Set<String> used) {
        String proto = PROTOS[cp[1]];
        int port;
        if (hostPort.contains("-")) {
            HostPortRange range = HostPortRange.parse(hostPort);
            if (used == null) {
                return new PortMapping(hostIp, range.start(), cp[0], proto); // validated only; picked at start
            }
            port = range.pick(hostIp, proto, used);
        } else if (hostPort.isEmpty()) {
            if (used == null) {
                return new PortMapping(hostIp, 1, cp[0], proto); // validated only; resolved at start
            }
            port = freePort(hostIp, proto, used);
        } else {
            try {
                port = Integer.parseInt(hostPort);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid port specification: \"" + hostPort + "\"");
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

    /**
     * NetworkSettings in Docker's shape: {@code Networks} has every network the container belongs
     * to, with its address while running; the deprecated top-level address fields describe only the
     * default bridge, as Docker's do.
     */
    Map<String, Object> settings(ContainerRecord r) {
        JsonNode state = r.config().get(STATE);
        JsonNode attachments = state == null ? Json.MAPPER.createObjectNode() : state.path("Attachments");
        if (state != null && !state.has("Attachments") && state.has("IPAddress")) {
            // Recorded by an engine before multi-network support: the default bridge, flat.
            attachments = Json.MAPPER.createObjectNode().set(BRIDGE, state);
        }
        boolean attached = state != null && state.has("Netns");
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
        Map<String, Object> networksMap = new LinkedHashMap<>();
        for (var e : endpointsOf(r).properties()) {
            networksMap.put(e.getKey(), endpointSettings(r, e.getKey(), e.getValue(), attachments.path(e.getKey())));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> def = (Map<String, Object>) networksMap.getOrDefault(BRIDGE, Map.of());
        net.put("EndpointID", def.getOrDefault("EndpointID", ""));
        net.put("Gateway", def.getOrDefault("Gateway", ""));
        net.put("GlobalIPv6Address", "");
        net.put("GlobalIPv6PrefixLen", 0);
        net.put("IPAddress", def.getOrDefault("IPAddress", ""));
        net.put("IPPrefixLen", def.getOrDefault("IPPrefixLen", 0));
        net.put("IPv6Gateway", "");
        net.put("MacAddress", def.getOrDefault("MacAddress", ""));
        net.put("Networks", networksMap);
        return net;
    }

    private Map<String, Object> endpointSettings(ContainerRecord r, String name, JsonNode endpoint, JsonNode att) {
        boolean attached = att.has("IPAddress");
        String ip = attached ? att.path("IPAddress").asText() : "";
        String id = endpoint.path("NetworkID").asText("");
        if (id.isEmpty()) {
            id = lookup(null, name).map(NetworkService.Net::id).orElse("");
        }
        boolean user = lookup(id, name).map(NetworkService.Net::userDefined).orElse(false);
        Map<String, Object> ep = new LinkedHashMap<>();
        JsonNode ipam = endpoint.get("IPAMConfig");
        ep.put("IPAMConfig", ipam == null || ipam.isNull() ? null : Json.MAPPER.convertValue(ipam, Map.class));
        ep.put("Links", null);
        List<String> aliases = new ArrayList<>();
        endpoint.path("Aliases").forEach(a -> aliases.add(a.asText()));
        ep.put("Aliases", aliases.isEmpty() ? null : aliases);
        ep.put("MacAddress", attached ? att.path("MacAddress").asText("") : "");
        ep.put("DriverOpts", null);
        ep.put("NetworkID", id);
        ep.put("EndpointID", attached ? hex("endpoint:" + r.id() + ":" + ip) : "");
        ep.put("Gateway", attached ? att.path("Gateway").asText("") : "");
        ep.put("IPAddress", ip);
        ep.put("IPPrefixLen", attached ? att.path("IPPrefixLen").asInt() : 0);
        ep.put("IPv6Gateway", "");
        ep.put("GlobalIPv6Address", "");
        ep.put("GlobalIPv6PrefixLen", 0);
        ep.put("DNSNames", user ? dnsNames(r, endpoint) : null);
        return ep;
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
        JsonNode state = r.config().get(STATE);
        if (state != null && state.path("Attachments").size() > 0) {
            // Like docker ps: an exposed port nobody published is listed without a host side.
            java.util.Set<String> seen = new java.util.HashSet<>();
            out.forEach(m -> seen.add(m.get("PrivatePort") + "/" + m.get("Type")));
            r.config().path("Config").path("ExposedPorts").fieldNames().forEachRemaining(k -> {
                String[] pp = k.split("/", 2);
                String proto = pp.length > 1 ? pp[1] : "tcp";
                if (pp[0].matches("\\d{1,5}") && seen.add(Integer.parseInt(pp[0]) + "/" + proto)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("PrivatePort", Integer.parseInt(pp[0]));
                    m.put("Type", proto);
                    out.add(m);
                }
            });
        }
        return out;
    }
}
