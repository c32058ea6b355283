package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.images.Json;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the "Run a container" dialog asks for, as the text the user typed, turned into the body of
 * {@code POST /containers/create} the way {@code docker run} builds it from its flags ({@code -p},
 * {@code -e}, {@code -v}, {@code --network}, {@code --restart}). {@link #problem()} says what is wrong
 * with the input, before anything is sent.
 */
public record RunRequest(String image, String name, String command, String ports, String env, String volumes,
                         String network, String restart) {
    /** {@code --restart}'s policies, as the dialog offers them. */
    public static final List<String> RESTART_POLICIES = List.of("no", "always", "unless-stopped", "on-failure");

    private static final Pattern PORT = Pattern.compile("(?:(\\d{1,3}(?:\\.\\d{1,3}){3}):)?(?:(\\d{1,5})?:)?(\\d{1,5})(?:/(tcp|udp|sctp))?");

    /** The first thing wrong with the input, in words; null when it can be sent. */
    public String problem() {
        if (image.isBlank()) {
            return "Which image? For example busybox:latest.";
        }
        for (String p : items(ports)) {
            if (!PORT.matcher(p).matches()) {
                return "Port \"" + p + "\": write host:container, e.g. 8080:80, or 127.0.0.1:8080:80/tcp.";
            }
        }
        for (String e : lines(env)) {
            if (e.indexOf('=') <= 0) {
                return "Environment \"" + e + "\": write NAME=value, one a line.";
            }
        }
        for (String v : lines(volumes)) {
            String[] parts = v.split(":");
            if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || !parts[1].startsWith("/")) {
                return "Volume \"" + v + "\": write volume-or-host-path:/path/in/container[:ro], one a line.";
            }
        }
        if (!restart.isBlank() && !RESTART_POLICIES.contains(restart.strip())) {
            return "Restart policy \"" + restart + "\": one of " + String.join(", ", RESTART_POLICIES) + ".";
        }
        return null;
    }

    /** The create body; call only when {@link #problem()} is null. */
    public ObjectNode body() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("Image", image.strip());
        if (!command.isBlank()) {
            ArrayNode a = body.putArray("Cmd");
            for (String part : command.strip().split("\\s+")) {
                a.add(part);
            }
        }
        List<String> envs = lines(env);
        if (!envs.isEmpty()) {
            ArrayNode a = body.putArray("Env");
            envs.forEach(a::add);
        }
        ObjectNode host = body.putObject("HostConfig");
        List<String> ps = items(ports);
        if (!ps.isEmpty()) {
            ObjectNode exposed = body.putObject("ExposedPorts");
            ObjectNode bindings = host.putObject("PortBindings");
            for (String p : ps) {
                Matcher m = PORT.matcher(p);
                m.matches();
                String key = m.group(3) + "/" + (m.group(4) == null ? "tcp" : m.group(4));
                exposed.putObject(key);
                ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
                ObjectNode b = list.addObject();
                b.put("HostIp", m.group(1) == null ? "" : m.group(1));
                b.put("HostPort", m.group(2) == null ? "" : m.group(2));
            }
        }
        List<String> vs = lines(volumes);
        if (!vs.isEmpty()) {
            ArrayNode binds = host.putArray("Binds");
            vs.forEach(binds::add);
        }
        if (!network.isBlank()) {
            host.put("NetworkMode", network.strip());
        }
        if (!restart.isBlank() && !"no".equals(restart.strip())) {
            host.putObject("RestartPolicy").put("Name", restart.strip()).put("MaximumRetryCount", 0);
        }
        return body;
    }

    /** Comma- or space-separated entries. */
    private static List<String> items(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.strip().split("[,\\s]+"));
    }

    /** Non-blank lines, stripped. */
    private static List<String> lines(String s) {
        return s == null ? List.of() : s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
