package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's {@code /etc/hosts}, {@code /etc/resolv.conf} and {@code /etc/hostname}, generated
 * into its bundle directory (never into the image's rootfs) and bind-mounted over the image's, as
 * Docker does. They are rewritten in place at every start and on connect/disconnect, so the bind
 * mount keeps seeing the same inode.
 *
 * <ul>
 *   <li>hosts: Docker's localhost lines, {@code --add-host} entries, then the container's own
 *       addresses with its hostname; with {@code --network host}, the host's file plus the extras.</li>
 *   <li>resolv.conf: on a user-defined network, the network's embedded DNS (its gateway); otherwise
 *       the host's resolvers without loopback ones (unreachable from the container's namespace),
 *       falling back to Docker's 8.8.8.8 and 8.8.4.4; {@code --dns}, {@code --dns-search} and
 *       {@code --dns-option} override their parts.</li>
 * </ul>
 */
final class EtcFiles {
    static final String HOSTS = "hosts";
    static final String RESOLV_CONF = "resolv.conf";
    static final String HOSTNAME = "hostname";
    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    static final Path HOST_HOSTS = Path.of("/etc/hosts");
    static final List<String> DEFAULT_DNS = List.of("8.8.8.8", "8.8.4.4");

    private EtcFiles() {
    }

    /** Adds the three bind mounts to the OCI spec; the files exist before runc create, written by {@link #write}. */
    static void applyToSpec(ObjectNode spec, Path bundle) {
        ArrayNode mounts = spec.withArray("mounts");
        for (String[] m : new String[][] {{"/etc/resolv.conf", RESOLV_CONF}, {"/etc/hostname", HOSTNAME}, {"/etc/hosts", HOSTS}}) {
            ObjectNode o = mounts.addObject();
            o.put("destination", m[0]);
            o.put("type", "bind");
            o.put("source", bundle.resolve(m[1]).toString());
            o.putArray("options").add("rbind").add("rprivate");
        }
    }

    /** The container's own names on its networks: what the hosts file maps its addresses to. */
    record Inputs(String hostname, String mode, List<String> ownIps, String embeddedDns, JsonNode hostConfig,
                  String hostGateway) {
    }

    static void write(Path bundle, Inputs in) {
        try {
            Files.createDirectories(bundle);
            writeInPlace(bundle.resolve(HOSTNAME), in.hostname() + "\n");
            writeInPlace(bundle.resolve(HOSTS), hosts(in));
            writeInPlace(bundle.resolve(RESOLV_CONF), resolvConf(in, readOrEmpty(HOST_RESOLV_CONF)));
        } catch (IOException e) {
            throw BerthException.system("cannot write the /etc files of the container: " + e.getMessage(), e);
        }
    }

    static String hosts(Inputs in) throws IOException {
        StringBuilder b = new StringBuilder();
        if (in.mode().equals(ContainerNetwork.HOST)) {
            b.append(readOrEmpty(HOST_HOSTS));
            if (!b.isEmpty() && b.charAt(b.length() - 1) != '\n') {
                b.append('\n');
            }
        } else {
            b.append("127.0.0.1\tlocalhost\n");
            b.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
            b.append("fe00::0\tip6-localnet\n");
            b.append("ff00::0\tip6-mcastprefix\n");
            b.append("ff02::1\tip6-allnodes\n");
            b.append("ff02::2\tip6-allrouters\n");
        }
        for (JsonNode e : in.hostConfig().path("ExtraHosts")) {
            String[] hostIp = extraHost(e.asText());
            String ip = hostIp[1].equals("host-gateway") ? in.hostGateway() : hostIp[1];
            if (ip == null) {
                throw BerthException.invalid("invalid IP address in add-host: \"host-gateway\" needs the default bridge network");
            }
            b.append(ip).append('\t').append(hostIp[0]).append('\n');
        }
        if (!in.mode().equals(ContainerNetwork.HOST)) {
            for (String ip : in.ownIps()) {
                b.append(ip).append('\t').append(in.hostname()).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code host:ip} as the API carries it ({@code host=ip} from older clients); the IP may be IPv6. */
    static String[] extraHost(String s) {
        int sep = s.indexOf('=');
        if (sep < 0) {
            sep = s.indexOf(':');
        }
        if (sep <= 0 || sep == s.length() - 1) {
            throw BerthException.invalid("bad format for add-host: \"" + s + "\"");
        }
        String host = s.substring(0, sep);
        String ip = s.substring(sep + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!host.matches("[A-Za-z0-9][A-Za-z0-9_.-]*") || !(ip.equals("host-gateway") || ip.matches("[0-9a-fA-F:.]+"))) {
            throw BerthException.invalid("invalid IP address in add-host: \"" + ip + "\"");
        }
        return new String[] {host, ip};
    }

    /** Validates {@code --add-host} at create, so a bad one fails there and not at every start. */
    static void validate(JsonNode hostConfig) {
        for (JsonNode e : hostConfig.path("ExtraHosts")) {
            extraHost(e.asText());
        }
        for (JsonNode d : hostConfig.path("Dns")) {
            if (!d.asText().matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]+")) {
                throw BerthException.invalid("invalid IP address: " + d.asText());
            }
        }
    }

    static String resolvConf(Inputs in, String host) {
        List<String> servers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String line : host.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || f[0].startsWith("#") || f[0].startsWith(";")) {
                continue;
            }
            switch (f[0]) {
                case "nameserver" -> servers.add(f[1]);
                case "search", "domain" -> {
                    search.clear();
                    search.addAll(List.of(f).subList(1, f.length));
                }
                case "options" -> options.addAll(List.of(f).subList(1, f.length));
                default -> {
                }
            }
        }
        JsonNode hc = in.hostConfig();
        List<String> dns = texts(hc.path("Dns"));
        if (!texts(hc.path("DnsSearch")).isEmpty()) {
            search = texts(hc.path("DnsSearch"));
        }
        if (!texts(hc.path("DnsOptions")).isEmpty()) {
            options = texts(hc.path("DnsOptions"));
        }
        List<String> out;
        if (in.embeddedDns() != null) {
            // The embedded DNS forwards to the host's resolvers itself; --dns ones follow as fallbacks.
            out = new ArrayList<>(List.of(in.embeddedDns()));
            out.addAll(dns);
            if (options.stream().noneMatch(o -> o.startsWith("ndots:"))) {
                // Docker's: single-label container names go to the embedded DNS before any search domain.
                options = new ArrayList<>(options);
                options.add("ndots:0");
            }
        } else if (!dns.isEmpty()) {
            out = dns;
        } else if (in.mode().equals(ContainerNetwork.HOST)) {
            out = servers;
        } else {
            // Loopback resolvers live in the host's namespace, not the container's; IPv6 ones need
            // an IPv6 network, which Berth does not give containers.
            out = servers.stream().filter(s -> !s.startsWith("127.") && !s.contains(":")).toList();
            if (out.isEmpty()) {
                out = DEFAULT_DNS;
            }
        }
        StringBuilder b = new StringBuilder();
        if (!search.isEmpty()) {
            b.append("search ").append(String.join(" ", search)).append('\n');
        }
        for (String s : out) {
            b.append("nameserver ").append(s).append('\n');
        }
        if (!options.isEmpty()) {
            b.append("options ").append(String.join(" ", options)).append('\n');
        }
        return b.toString();
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static String readOrEmpty(Path p) throws IOException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        }
    }

    /** Truncate and write, never replace: the bind mount in a running container holds the inode. */
    private static void writeInPlace(Path p, String content) throws IOException {
        if (Files.isSymbolicLink(p)) {
            Files.delete(p);
        }
        Files.writeString(p, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    }
}
