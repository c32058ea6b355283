package dev.berth.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The equivalent of Docker's default {@code bridge} network, built from the stock CNI plugins:
 * bridge (with outbound NAT) + host-local IPAM, portmap for published ports, firewall so the
 * FORWARD chain admits the container even under a DROP policy, and loopback inside the namespace.
 *
 * <p>The ADD result of each attachment is cached under the data root, because CNI requires it as
 * prevResult on DEL and CHECK and the daemon may have restarted in between.
 */
public final class BridgeNetwork {
    /** Not podman's 10.88/16 or Docker's 172.17/16, so Berth can run beside either. */
    public static final String DEFAULT_SUBNET = "172.29.0.0/16";
    public static final String DEFAULT_BRIDGE = "berth0";
    public static final String DEFAULT_NAME = "berth";
    public static final String CNI_VERSION = "1.0.0";
    /** The container-side interface name, as Docker names it. */
    public static final String IFNAME = "eth0";

    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern NET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CIDR4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");

    /**
     * @param name    the CNI network name; host-local keeps its leases in {@code ipamDir/name}
     * @param bridge  the host bridge device (at most 15 characters, the kernel's limit)
     * @param subnet  IPv4 CIDR the containers get addresses from; the bridge takes the first host address
     * @param dataRoot Berth's data root; state lives in {@code dataRoot/network}
     * @param gateway  the bridge's address; null for the subnet's first host address
     * @param ipRange  a CIDR inside the subnet that containers' addresses come from; null for all of it
     * @param internal no outbound NAT and no default route (Docker's {@code --internal})
     */
    public record Options(String name, String bridge, String subnet, Path dataRoot, String gateway, String ipRange,
                          boolean internal, int mtu) {
        public Options(String name, String bridge, String subnet, Path dataRoot) {
            this(name, bridge, subnet, dataRoot, null, null, false, 0);
        }

        public Options {
            if (name == null || !NET_NAME.matcher(name).matches()) {
                throw BerthException.invalid("invalid network name: " + name);
            }
            if (bridge == null || !IFACE.matcher(bridge).matches()) {
                throw BerthException.invalid("invalid bridge name (1-15 of [A-Za-z0-9_.-]): " + bridge);
            }
            if (subnet == null || !CIDR4.matcher(subnet).matches()) {
                throw BerthException.invalid("invalid IPv4 subnet: " + subnet);
            }
            if (dataRoot == null) {
                throw BerthException.invalid("a data root is required");
            }
        }

        public static Options defaults(Path dataRoot) {
            return new Options(DEFAULT_NAME, DEFAULT_BRIDGE, DEFAULT_SUBNET, dataRoot);
        }
    }

    /** Where a container landed on the network: what Docker reports under NetworkSettings. */
    public record Attachment(String ip, int prefixLength, String gateway, String mac, String ifname) {
    }

    private final CniPlugins plugins;
    private final Options options;
    private final CniConfig config;
    /** For a container's second and later networks: no default route, which the first one owns. */
    private final CniConfig secondary;
    private final CniConfig loopback;
    private final CniConfig checkConfig;

    public BridgeNetwork(CniPlugins plugins, Options options) {
        this.plugins = plugins;
        this.options = options;
        this.config = buildConfig(options, !options.internal());
        this.secondary = buildConfig(options, false);
        this.loopback = new CniConfig(CNI_VERSION, options.name() + "-loopback",
                List.of(CniConfig.JSON.createObjectNode().put("type", "loopback")));
        // portmap's CHECK (plugins 1.1.x) demands ip6tables DNAT chains for an IPv4-only container
        // and always fails (containernetworking/plugins#819), so CHECK covers bridge and firewall.
        this.checkConfig = new CniConfig(CNI_VERSION, options.name(),
                config.plugins().stream().filter(p -> !p.get("type").asText().equals("portmap")).toList());
    }

    public Options options() {
        return options;
    }

    /** The conflist this network runs. */
    public CniConfig config() {
        return config;
    }

    /** host-local's dataDir: one file per leased address, named by the address. */
    public Path ipamDir() {
        return options.dataRoot().resolve("network").resolve("ipam");
    }

    private Path cacheFile(String containerId) {
        return options.dataRoot().resolve("network").resolve("cache").resolve(options.name())
                .resolve(containerId + ".json");
    }

    private static CniConfig buildConfig(Options o, boolean defaultRoute) {
        ObjectNode bridge = CniConfig.JSON.createObjectNode();
        bridge.put("type", "bridge");
        bridge.put("bridge", o.bridge());
        bridge.put("isGateway", true); // the bridge holds the gateway address and is the default route
        bridge.put("ipMasq", !o.internal()); // outbound NAT, like Docker's default bridge
        bridge.putObject("capabilities").put("ips", true); // --ip reaches host-local as runtimeConfig.ips
        bridge.put("hairpinMode", true); // a container can reach itself through its own published port
        if (o.mtu() > 0) {
            bridge.put("mtu", o.mtu()); // com.docker.network.driver.mtu: the bridge's and each veth's
        }
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ArrayNode range = ipam.putArray("ranges").addArray();
        ObjectNode r = range.addObject().put("subnet", o.subnet());
        if (o.gateway() != null) {
            r.put("gateway", o.gateway());
        }
        if (o.ipRange() != null) {
            Cidr ipr = Cidr.parse(o.ipRange());
            Cidr sub = Cidr.parse(o.subnet());
            // host-local hands out [rangeStart, rangeEnd]; never the subnet's network or broadcast address.
            r.put("rangeStart", Cidr.format(Math.max(ipr.network(), sub.network() + 1)));
            r.put("rangeEnd", Cidr.format(Math.min(ipr.broadcast(), sub.broadcast() - 1)));
        }
        if (defaultRoute) {
            ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        }
        // Under the data root, not /var/lib/cni: leases must survive a reboot of the daemon and
        // belong to this Berth instance, not to any other CNI runtime on the host.
        ipam.put("dataDir", o.dataRoot().resolve("network").resolve("ipam").toString());

        ObjectNode portmap = CniConfig.JSON.createObjectNode();
        portmap.put("type", "portmap");
        portmap.putObject("capabilities").put("portMappings", true);
        // SNAT makes 127.0.0.1:hostPort and hairpin traffic work; portmap then sets route_localnet
        // on the bridge by itself.
        portmap.put("snat", true);

        ObjectNode firewall = CniConfig.JSON.createObjectNode();
        firewall.put("type", "firewall");

        return new CniConfig(CNI_VERSION, o.name(), List.of(bridge, portmap, firewall));
    }

    /**
     * Connects the container's namespace: loopback up, then the bridge chain. On failure everything
     * already done is undone with a DEL, so a failed start leaks no lease and no rule.
     */
    public Attachment attach(String containerId, Path netnsPath, List<PortMapping> ports) {
        return attach(containerId, netnsPath, ports, IFNAME, true, null);
    }

    /**
     * Attaches one interface. The primary one brings loopback up and owns the default route; a
     * secondary one ({@code docker network connect}, or a second network at create) adds only its
     * subnet's route, since a second default route would fail the whole ADD.
     *
     * @param ip an address to ask host-local for ({@code --ip}), or null for the next free one
     */
    public Attachment attach(String containerId, Path netnsPath, List<PortMapping> ports, String ifname,
                             boolean primary, String ip) {
        CniPlugins.Invocation inv = new CniPlugins.Invocation(containerId, netnsPath, ifname);
        checkPortsFree(ports);
        Map<String, Object> caps = new java.util.HashMap<>(capabilityArgs(ports));
        if (ip != null) {
            caps.put("ips", List.of(ip + "/" + Cidr.parse(options.subnet()).prefix()));
        }
        CniConfig chain = primary ? config : secondary;
        CniResult result;
        try {
            if (primary) {
                plugins.add(loopback, new CniPlugins.Invocation(containerId, netnsPath, "lo"), Map.of());
            }
            result = plugins.add(chain, inv, caps);
            // After the ADD: the firewall plugin may just have put its FORWARD jump above ours.
            NetworkIsolation.isolate(options.bridge());
        } catch (BerthException e) {
            try {
                plugins.del(chain, inv, caps, null);
            } catch (BerthException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        writeCache(containerId, result);
        ensureSysctls();
        return attachment(result);
    }

    /**
     * Verifies the attachment with CNI CHECK against the cached ADD result: the interface, address
     * and routes (bridge) and the FORWARD rules (firewall); not the port rules, see the constructor.
     */
    public void check(String containerId, Path netnsPath, List<PortMapping> ports) {
        CniResult cached = readCache(containerId);
        if (cached == null) {
            throw BerthException.notFound("container " + containerId + " is not attached to network " + options.name());
        }
        plugins.check(checkConfig, new CniPlugins.Invocation(containerId, netnsPath, IFNAME), capabilityArgs(ports), cached);
    }

    /**
     * Disconnects the container: CNI DEL with the same port mappings as the ADD (portmap finds its
     * rules by them) and the cached result as prevResult. Idempotent: detaching twice, or after the
     * namespace is gone, succeeds, because every plugin's DEL tolerates missing state.
     */
    public void detach(String containerId, Path netnsPath, List<PortMapping> ports) {
        detach(containerId, netnsPath, ports, IFNAME, true);
    }

    /** Detaches one interface; only the primary takes loopback down, a secondary leaves the rest working. */
    public void detach(String containerId, Path netnsPath, List<PortMapping> ports, String ifname, boolean primary) {
        CniPlugins.Invocation inv = new CniPlugins.Invocation(containerId, netnsPath, ifname);
        plugins.del(primary ? config : secondary, inv, capabilityArgs(ports), readCache(containerId));
        if (primary && netnsPath != null && Files.exists(netnsPath)) {
            // Loopback dies with the namespace; calling it on a deleted one would only fail to enter it.
            plugins.del(loopback, new CniPlugins.Invocation(containerId, netnsPath, "lo"), Map.of(), null);
        }
        try {
            Files.deleteIfExists(cacheFile(containerId));
        } catch (IOException e) {
            throw BerthException.system("cannot remove " + cacheFile(containerId), e);
        }
    }

    /**
     * portmap only writes DNAT rules, which silently win over a host process already listening on
     * the port; Docker refuses instead, so this does too, with Docker's wording. It sees host
     * listeners only: two containers asking for one port must be caught by the engine's own port
     * bookkeeping, which knows every mapping it made.
     */
    static void checkPortsFree(List<PortMapping> ports) {
        if (ports == null) {
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (PortMapping p : ports) {
            String host = p.hostIp() == null ? "0.0.0.0" : p.hostIp();
            if (!seen.add(host + ":" + p.hostPort() + "/" + p.protocol())) {
                throw BerthException.invalid("port " + host + ":" + p.hostPort() + "/" + p.protocol() + " is published twice");
            }
            java.net.InetSocketAddress addr = new java.net.InetSocketAddress(host, p.hostPort());
            try {
                switch (p.protocol()) {
                    case "tcp" -> {
                        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                            s.bind(addr);
                        }
                    }
                    case "udp" -> {
                        try (java.net.DatagramSocket s = new java.net.DatagramSocket(null)) {
                            s.bind(addr);
                        }
                    }
                    default -> {
                        // No portable way to probe sctp from Java; portmap handles it regardless.
                    }
                }
            } catch (java.net.BindException e) {
                throw BerthException.conflict("Bind for " + host + ":" + p.hostPort() + " failed: port is already allocated");
            } catch (IOException e) {
                throw BerthException.invalid("cannot publish on " + host + ":" + p.hostPort() + ": " + e.getMessage());
            }
        }
    }

    private static Map<String, Object> capabilityArgs(List<PortMapping> ports) {
        return Map.of("portMappings", ports == null ? List.of() : ports.stream().map(PortMapping::toCni).toList());
    }

    private static Attachment attachment(CniResult r) {
        for (CniResult.IpConfig ip : r.ips()) {
            if (ip.address().contains(":")) {
                continue;
            }
            String mac = r.interfaceOf(ip).map(CniResult.Interface::mac)
                    .or(() -> r.interfaces().stream().filter(i -> IFNAME.equals(i.name()) && i.inContainer())
                            .map(CniResult.Interface::mac).findFirst())
                    .orElse(null);
            String ifname = r.interfaceOf(ip).map(CniResult.Interface::name).orElse(IFNAME);
            return new Attachment(ip.ip(), ip.prefixLength(), ip.gateway(), mac, ifname);
        }
        throw new BerthException(ErrorCategory.SYSTEM, "CNI result has no IPv4 address: " + r.raw());
    }

    /**
     * The kernel settings published ports need. The plugins set both already (bridge enables
     * forwarding when isGateway, portmap sets route_localnet on the bridge for 127.0.0.1 DNAT); this
     * makes the dependency explicit and survives a plugin version that stops doing it. Only the
     * bridge's route_localnet is touched, never {@code all}, which would expose 127/8 on every link.
     */
    private void ensureSysctls() {
        setSysctl(Path.of("/proc/sys/net/ipv4/ip_forward"));
        setSysctl(Path.of("/proc/sys/net/ipv4/conf", options.bridge(), "route_localnet"));
    }

    private static void setSysctl(Path p) {
        try {
            if (!Files.readString(p).strip().equals("1")) {
                Files.writeString(p, "1");
            }
        } catch (IOException e) {
            throw BerthException.system("cannot set " + p + " to 1", e);
        }
    }

    private void writeCache(String containerId, CniResult result) {
        Path file = cacheFile(containerId);
        try {
            Files.createDirectories(file.getParent());
            dev.berth.images.store.AtomicFile.write(file, result.raw().toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw BerthException.system("cannot write " + file, e);
        }
    }

    private CniResult readCache(String containerId) {
        Path file = cacheFile(containerId);
        try {
            JsonNode json = CniConfig.JSON.readTree(Files.readString(file));
            return CniResult.parse(json);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | BerthException e) {
            // A torn cache must not block teardown: DEL without prevResult still releases everything
            // these plugins hold, since they key their state by container id and port mappings.
            return null;
        }
    }

    /** The gateway address the bridge holds: the configured one, or the subnet's first host address. */
    public String gateway() {
        return options.gateway() != null ? options.gateway() : Cidr.format(Cidr.parse(options.subnet()).host(1));
    }

    /**
     * Removes what the network itself holds once no container is attached: the bridge device (the
     * plugin never deletes it), host-local's lease directory and the ADD-result cache. The per
     * container NAT and FORWARD rules went with each DEL. Idempotent.
     */
    public void destroy() {
        NetworkIsolation.release(options.bridge());
        if (Files.exists(Path.of("/sys/class/net", options.bridge()))) {
            ProcessRunner.Output out = ProcessRunner.run(List.of("ip", "link", "del", options.bridge()), null, null,
                    java.time.Duration.ofSeconds(10));
            if (out.exitCode() != 0 && Files.exists(Path.of("/sys/class/net", options.bridge()))) {
                throw BerthException.system("cannot delete bridge " + options.bridge() + ": " + out.stderr().strip(), null);
            }
        }
        try {
            dev.berth.images.layer.LayerDirs.deleteRecursively(ipamDir().resolve(options.name()));
            dev.berth.images.layer.LayerDirs.deleteRecursively(cacheFile("x").getParent());
        } catch (IOException e) {
            throw BerthException.system("cannot remove the state of network " + options.name(), e);
        }
    }
}
