package dev.berth.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.events.EngineEvent;
import dev.berth.engine.events.EventBus;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Docker's networks: the predefined {@code bridge} (the engine's default {@link BridgeNetwork}),
 * {@code host} and {@code none}, plus user-defined bridge networks kept in the catalog. Each user
 * network is a CNI bridge chain of its own (own device, subnet and host-local leases) with an
 * embedded DNS ({@link NetworkDns}); which containers are on it is the container side's business,
 * asked through {@link #setEndpoints}.
 */
public final class NetworkService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NetworkService.class.getName());
    public static final String BRIDGE = "bridge";
    public static final String HOST = "host";
    public static final String NONE = "none";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";
    static final String MTU_OPTION = "com.docker.network.driver.mtu";

    /** A network as containers see it; {@code bridge} is null for host and none, {@code dns} for all but user networks. */
    public record Net(String id, String name, String driver, BridgeNetwork bridge, NetworkDns dns, NetworkRecord record) {
        public boolean userDefined() {
            return record != null;
        }
    }

    /** One container's place on a network, for inspect's Containers map and for "active endpoints". */
    public record Endpoint(String containerId, String containerName, String endpointId, String mac, String ipv4, int prefix) {
    }

    private final NetworkStore store;
    private final CniPlugins plugins;
    private final BridgeNetwork defaultBridge;
    private final Path dataRoot;
    private final EventBus events;
    private final Map<String, Net> user = new ConcurrentHashMap<>();
    private volatile Function<String, List<Endpoint>> endpoints = id -> List.of();

    /**
     * @param plugins       null when this host has no CNI plugins: user networks can then be listed
     *                      but not created
     * @param defaultBridge null when the default bridge cannot run here
     */
    public NetworkService(NetworkStore store, CniPlugins plugins, BridgeNetwork defaultBridge, Path dataRoot, EventBus events) {
        this.store = store;
        this.plugins = plugins;
        this.defaultBridge = defaultBridge;
        this.dataRoot = dataRoot;
        this.events = events;
        for (NetworkRecord r : store.all()) {
            user.put(r.id(), net(r));
        }
    }

    public void setEndpoints(Function<String, List<Endpoint>> endpointsByNetworkId) {
        this.endpoints = endpointsByNetworkId;
    }

    public BridgeNetwork defaultBridge() {
        return defaultBridge;
    }

    static String predefinedId(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("network:" + name).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** libnetwork's bridge driver: the MTU option as a number, 68 (IPv4's minimum) to 65535; 0 when absent. */
    static int mtu(java.util.Map<String, String> options) {
        String v = options.get(MTU_OPTION);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            int mtu = Integer.parseInt(v.strip());
            if (mtu >= 68 && mtu <= 65535) {
                return mtu;
            }
        } catch (NumberFormatException e) {
            // worded below
        }
        throw BerthException.invalid("invalid MTU number: " + v);
    }

    private Net net(NetworkRecord r) {
        BridgeNetwork b = plugins == null ? null : new BridgeNetwork(plugins, new BridgeNetwork.Options(
                r.cniName(), r.bridge(), r.subnet(), dataRoot, r.gateway(), r.ipRange(), r.internal(), mtu(r.options())));
        return new Net(r.id(), r.name(), r.driver(), b, new NetworkDns(r.name()), r);
    }

    public List<Net> all() {
        List<Net> out = new ArrayList<>();
        out.add(new Net(predefinedId(BRIDGE), BRIDGE, "bridge", defaultBridge, null, null));
        out.add(new Net(predefinedId(HOST), HOST, "host", null, null, null));
        out.add(new Net(predefinedId(NONE), NONE, "null", null, null, null));
        user.values().stream().sorted(java.util.Comparator.comparing((Net n) -> n.record().created()).thenComparing(Net::id))
                .forEach(out::add);
        return out;
    }

    /** Docker's order: full id, exact name, then a unique id prefix. */
    public Net resolve(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw BerthException.notFound("network " + ref + " not found");
        }
        List<Net> all = all();
        for (Net n : all) {
            if (n.id().equals(ref)) {
                return n;
            }
        }
        for (Net n : all) {
            if (n.name().equals(ref)) {
                return n;
            }
        }
        List<Net> byPrefix = all.stream().filter(n -> n.id().startsWith(ref)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.getFirst();
        }
        if (byPrefix.size() > 1) {
            throw BerthException.invalid("network " + ref + " is ambiguous (" + byPrefix.size() + " matches found based on ID prefix)");
        }
        throw BerthException.notFound("network " + ref + " not found");
    }

    public java.util.Optional<Net> byId(String id) {
        return all().stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /**
     * Runs an attachment to {@code n} under this service's lock: a concurrent rm or prune either
     * sees the endpoint the attachment records, or has already destroyed the network (not found).
     */
    public synchronized <T> T whileExists(Net n, java.util.function.Supplier<T> attach) {
        if (n.userDefined() && !user.containsKey(n.id())) {
            throw BerthException.notFound("network " + n.name() + " not found");
        }
        return attach.get();
    }

    // ---- create ----

    public record Created(String id, String warning) {
    }

    public synchronized Created create(JsonNode body) {
        String name = body.path("Name").asText("");
        if (name.isEmpty()) {
            throw BerthException.invalid("network name must not be empty");
        }
        if (!NAME.matcher(name).matches()) {
            throw BerthException.invalid("invalid network name \"" + name + "\": must match " + NAME.pattern());
        }
        String driver = body.path("Driver").asText("");
        driver = driver.isEmpty() ? "bridge" : driver;
        if (List.of(BRIDGE, HOST, NONE).contains(name)) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "operation is not permitted on predefined " + name + " network");
        }
        if (!driver.equals("bridge")) {
            if (driver.equals("host") || driver.equals("null")) {
                throw new BerthException(ErrorCategory.FORBIDDEN, "only one instance of \"" + driver + "\" network is allowed");
            }
            throw BerthException.notFound("plugin \"" + driver + "\" not found");
        }
        if (all().stream().anyMatch(n -> n.name().equals(name))) {
            throw BerthException.conflict("network with name " + name + " already exists");
        }
        if (body.path("EnableIPv6").asBoolean(false)) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "IPv6 networks are not supported by Berth yet");
        }
        if (plugins == null) {
            throw BerthException.system("this host cannot create bridge networks: the CNI plugins are not installed", null);
        }
        Map<String, String> options = strings(body.get("Options"));
        Map<String, String> labels = strings(body.get("Labels"));
        JsonNode ipamConfigs = body.path("IPAM").path("Config");
        if (ipamConfigs.size() > 1) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "more than one IPAM config (subnet) per network is not supported by Berth yet");
        }
        String ipamDriver = body.path("IPAM").path("Driver").asText("");
        if (!ipamDriver.isEmpty() && !ipamDriver.equals("default")) {
            throw BerthException.notFound("plugin \"" + ipamDriver + "\" not found");
        }
        JsonNode ipam = ipamConfigs.isEmpty() ? null : ipamConfigs.get(0);
        List<Cidr> taken = takenSubnets();
        Cidr subnet;
        String subnetText = ipam == null ? "" : ipam.path("Subnet").asText("");
        if (!subnetText.isEmpty()) {
            if (subnetText.contains(":")) {
                throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "IPv6 subnets are not supported by Berth yet");
            }
            subnet = Cidr.parse(subnetText);
            if (subnet.prefix() > 30) {
                throw BerthException.invalid("invalid subnet " + subnetText + ": too small for containers");
            }
            for (Cidr t : takenByNetworks()) {
                if (t.overlaps(subnet)) {
                    throw new BerthException(ErrorCategory.FORBIDDEN,
                            "invalid pool request: Pool overlaps with other one on this address space");
                }
            }
        } else {
            if (ipam != null && (!ipam.path("Gateway").asText("").isEmpty() || !ipam.path("IPRange").asText("").isEmpty())) {
                throw BerthException.invalid("invalid pool request: an ip-range or a gateway needs a subnet");
            }
            subnet = SubnetPool.pick(taken);
        }
        String gateway = ipam == null ? "" : ipam.path("Gateway").asText("");
        if (gateway.isEmpty()) {
            gateway = Cidr.format(subnet.host(1));
        } else if (!subnet.contains(Cidr.address(gateway))) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "no matching subnet for gateway " + gateway);
        }
        String ipRange = ipam == null ? "" : ipam.path("IPRange").asText("");
        if (!ipRange.isEmpty() && !subnet.contains(Cidr.parse(ipRange))) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "no matching subnet for range " + ipRange);
        }
        mtu(options); // refused before anything is made
        String id = randomId();
        String device = options.getOrDefault(BRIDGE_NAME_OPTION, "br-" + id.substring(0, 12));
        if (!device.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw BerthException.invalid("invalid bridge name: " + device);
        }
        if (Files.exists(Path.of("/sys/class/net", device)) || all().stream().anyMatch(n -> n.bridge() != null
                && n.bridge().options().bridge().equals(device))) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "bridge name " + device + " is already in use");
        }
        NetworkRecord r = new NetworkRecord(id, name, driver, Instant.now(), subnet.toString(), gateway,
                ipRange.isEmpty() ? null : Cidr.parse(ipRange).toString(), device, body.path("Internal").asBoolean(false),
                labels, options);
        store.insert(r);
        user.put(id, net(r));
        publish("create", id, name, null);
        return new Created(id, "");
    }

    private List<Cidr> takenByNetworks() {
        List<Cidr> out = new ArrayList<>();
        if (defaultBridge != null) {
            out.add(Cidr.parse(defaultBridge.options().subnet()));
        }
        out.add(Cidr.parse(BridgeNetwork.DEFAULT_SUBNET));
        user.values().forEach(n -> out.add(Cidr.parse(n.record().subnet())));
        return out;
    }

    private List<Cidr> takenSubnets() {
        List<Cidr> out = takenByNetworks();
        out.addAll(SubnetPool.hostRoutes());
        return out;
    }

    private static String randomId() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    // ---- remove / prune ----

    public synchronized void remove(String ref) {
        Net n = resolve(ref);
        if (!n.userDefined()) {
            throw new BerthException(ErrorCategory.FORBIDDEN, n.name() + " is a pre-defined network and cannot be removed");
        }
        if (!endpoints.apply(n.id()).isEmpty()) {
            throw new BerthException(ErrorCategory.FORBIDDEN, "error while removing network: network " + n.name()
                    + " id " + n.id() + " has active endpoints");
        }
        n.dns().close();
        if (n.bridge() != null) {
            n.bridge().destroy();
        }
        store.delete(n.id());
        user.remove(n.id());
        publish("destroy", n.id(), n.name(), null);
    }

    /** Removes every user network without endpoints that the filters (until, label, label!) select. */
    public synchronized List<String> prune(Map<String, List<String>> filters) {
        for (String key : filters.keySet()) {
            if (!List.of("until", "label", "label!").contains(key)) {
                throw BerthException.invalid("invalid filter '" + key + "'");
            }
        }
        List<String> deleted = new ArrayList<>();
        for (Net n : all()) {
            if (!n.userDefined() || !endpoints.apply(n.id()).isEmpty()) {
                continue;
            }
            if (!NetworkFilters.labels(filters, n.record().labels()) || !NetworkFilters.until(filters, n.record().created())) {
                continue;
            }
            try {
                remove(n.id());
                deleted.add(n.name());
            } catch (BerthException e) {
                LOG.log(Level.WARNING, "pruning network " + n.name() + " failed", e);
            }
        }
        return deleted;
    }

    // ---- list / inspect ----

    public List<Map<String, Object>> list(Map<String, List<String>> filters) {
        var p = NetworkFilters.compile(filters, n -> !endpoints.apply(n.id()).isEmpty());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Net n : all()) {
            if (p.test(n)) {
                out.add(json(n, false));
            }
        }
        return out;
    }

    public Map<String, Object> inspect(String ref) {
        return json(resolve(ref), true);
    }

    private Map<String, Object> json(Net n, boolean withContainers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.userDefined() ? n.record().created().toString() : "0001-01-01T00:00:00Z");
        m.put("Scope", "local");
        m.put("Driver", n.driver());
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", n.userDefined() ? Map.of() : null);
        List<Map<String, String>> cfg = new ArrayList<>();
        if (n.bridge() != null) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("Subnet", n.bridge().options().subnet());
            if (n.userDefined() && n.record().ipRange() != null) {
                c.put("IPRange", n.record().ipRange());
            }
            c.put("Gateway", n.bridge().gateway());
            cfg.add(c);
        } else if (n.userDefined()) {
            cfg.add(Map.of("Subnet", n.record().subnet(), "Gateway", n.record().gateway()));
        }
        ipam.put("Config", cfg);
        m.put("IPAM", ipam);
        m.put("Internal", n.userDefined() && n.record().internal());
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        if (withContainers) {
            Map<String, Object> cs = new LinkedHashMap<>();
            for (Endpoint e : endpoints.apply(n.id())) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("Name", e.containerName());
                c.put("EndpointID", e.endpointId());
                c.put("MacAddress", e.mac() == null ? "" : e.mac());
                c.put("IPv4Address", e.ipv4() == null || e.ipv4().isEmpty() ? "" : e.ipv4() + "/" + e.prefix());
                c.put("IPv6Address", "");
                cs.put(e.containerId(), c);
            }
            m.put("Containers", cs);
        } else {
            m.put("Containers", Map.of());
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (n.userDefined()) {
            options.putAll(n.record().options());
        } else if (n.name().equals(BRIDGE) && defaultBridge != null) {
            options.put("com.docker.network.bridge.default_bridge", "true");
            options.put("com.docker.network.bridge.enable_ip_masquerade", "true");
            options.put(BRIDGE_NAME_OPTION, defaultBridge.options().bridge());
        }
        m.put("Options", options);
        m.put("Labels", n.userDefined() ? n.record().labels() : Map.of());
        return m;
    }

    /** Docker's network events: create and destroy here, connect and disconnect from the container side. */
    public void publish(String action, String networkId, String networkName, String containerId) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (containerId != null) {
            attrs.put("container", containerId);
        }
        attrs.put("name", networkName);
        attrs.put("type", "bridge");
        if (events != null) {
            events.publish(EngineEvent.network(action, networkId, attrs));
        }
    }

    @Override
    public void close() {
        user.values().forEach(n -> n.dns().close());
    }
}
