package dev.berth.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A CNI 1.0 success result (spec section 5). {@code raw} is kept verbatim because it is what must
 * be chained into the next plugin's prevResult and cached for DEL and CHECK; the records are the
 * typed view the engine reads.
 */
public record CniResult(String cniVersion, List<Interface> interfaces, List<IpConfig> ips, List<Route> routes,
                        Dns dns, ObjectNode raw) {

    /** An interface a plugin created; {@code sandbox} is the netns path when it is inside the container. */
    public record Interface(String name, String mac, String sandbox) {
        public boolean inContainer() {
            return sandbox != null && !sandbox.isEmpty();
        }
    }

    /** An address in CIDR form ({@code 172.29.0.2/16}); {@code interfaceIndex} indexes {@link #interfaces}. */
    public record IpConfig(String address, String gateway, Integer interfaceIndex) {
        public String ip() {
            int slash = address.indexOf('/');
            return slash < 0 ? address : address.substring(0, slash);
        }

        public int prefixLength() {
            int slash = address.indexOf('/');
            return slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(address.substring(slash + 1));
        }
    }

    public record Route(String dst, String gw) {
    }

    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
    }

    public CniResult {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        raw = raw.deepCopy();
    }

    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }

    /** The interface an address belongs to, when the plugin said. */
    public Optional<Interface> interfaceOf(IpConfig ip) {
        Integer i = ip.interfaceIndex();
        return i != null && i >= 0 && i < interfaces.size() ? Optional.of(interfaces.get(i)) : Optional.empty();
    }

    public static CniResult parse(JsonNode json) {
        if (!(json instanceof ObjectNode obj)) {
            throw BerthException.invalid("CNI result is not a JSON object");
        }
        List<Interface> ifs = new ArrayList<>();
        for (JsonNode n : obj.path("interfaces")) {
            ifs.add(new Interface(text(n, "name"), text(n, "mac"), text(n, "sandbox")));
        }
        List<IpConfig> ips = new ArrayList<>();
        for (JsonNode n : obj.path("ips")) {
            String address = text(n, "address");
            if (address == null) {
                throw BerthException.invalid("CNI result: an ips entry has no address");
            }
            ips.add(new IpConfig(address, text(n, "gateway"),
                    n.path("interface").isInt() ? n.get("interface").asInt() : null));
        }
        List<Route> routes = new ArrayList<>();
        for (JsonNode n : obj.path("routes")) {
            routes.add(new Route(text(n, "dst"), text(n, "gw")));
        }
        JsonNode d = obj.path("dns");
        Dns dns = new Dns(strings(d.path("nameservers")), text(d, "domain"), strings(d.path("search")),
                strings(d.path("options")));
        return new CniResult(obj.path("cniVersion").asText(""), ifs, ips, routes, dns, obj);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
