package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth port CONTAINER [PRIVATE_PORT[/PROTO]]}: the published ports, from inspect, as docker lists them. */
public final class PortCommand extends BerthCommand {
    @Override
    public List<Opt> options() {
        return List.of();
    }

    @Override
    public void flag(String name, String value) {
        throw new IllegalArgumentException(name);
    }

    @Override
    public int run() {
        minArgs(1, args);
        maxArgs(2, args);
        String name = args.getFirst();
        JsonNode ports = cli.client().containers().inspect(name).path("NetworkSettings").path("Ports");
        if (args.size() == 2) {
            String spec = args.get(1);
            String port = spec;
            String proto = "tcp";
            int slash = spec.indexOf('/');
            if (slash >= 0) {
                port = spec.substring(0, slash);
                proto = spec.substring(slash + 1);
            }
            try {
                Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new UsageError("Error: invalid port (" + port + "): strconv.ParseUint: parsing \"" + port
                        + "\": invalid syntax", 1);
            }
            JsonNode bindings = ports.get(port + "/" + proto);
            if (bindings != null && bindings.isArray() && !bindings.isEmpty()) {
                for (JsonNode b : bindings) {
                    out().println(hostPort(b));
                }
                return 0;
            }
            throw new UsageError("Error: No public port '" + port + "/" + proto + "' published for " + name, 1);
        }
        // docker sorts by port number then protocol, one line per binding
        Map<String, JsonNode> sorted = new TreeMap<>((a, b) -> {
            int pa = Integer.parseInt(a.substring(0, a.indexOf('/')));
            int pb = Integer.parseInt(b.substring(0, b.indexOf('/')));
            return pa != pb ? Integer.compare(pa, pb) : a.compareTo(b);
        });
        ports.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        List<String> lines = new ArrayList<>();
        sorted.forEach((port, bindings) -> {
            if (bindings != null && bindings.isArray()) {
                for (JsonNode b : bindings) {
                    lines.add(port + " -> " + hostPort(b));
                }
            }
        });
        lines.forEach(out()::println);
        return 0;
    }

    private static String hostPort(JsonNode b) {
        String ip = b.path("HostIp").asText("");
        String port = b.path("HostPort").asText("");
        return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
