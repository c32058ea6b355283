package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code docker commit --change}: the Dockerfile instructions that may edit an image config (CMD,
 * ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL, ONBUILD), applied to the config's
 * {@code config} object. JSON (exec) form and shell form as in a Dockerfile.
 */
public final class CommitChanges {
    private CommitChanges() {
    }

    public static void apply(ObjectNode config, List<String> changes) {
        for (String change : changes) {
            for (String line : change.split("\n")) {
                if (!line.isBlank()) {
                    applyOne(config, line.strip());
                }
            }
        }
    }

    private static void applyOne(ObjectNode c, String line) {
        int sp = line.indexOf(' ');
        String instr = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : line.substring(sp + 1).strip();
        switch (instr) {
            case "CMD" -> c.set("Cmd", command(rest));
            case "ENTRYPOINT" -> c.set("Entrypoint", command(rest));
            case "WORKDIR" -> c.put("WorkingDir", rest);
            case "USER" -> c.put("User", rest);
            case "STOPSIGNAL" -> c.put("StopSignal", rest);
            case "ENV" -> {
                for (String[] kv : pairs(rest, "ENV")) {
                    setEnv(c, kv[0], kv[1]);
                }
            }
            case "LABEL" -> {
                ObjectNode labels = c.path("Labels").isObject() ? (ObjectNode) c.get("Labels") : c.putObject("Labels");
                for (String[] kv : pairs(rest, "LABEL")) {
                    labels.put(kv[0], kv[1]);
                }
            }
            case "EXPOSE" -> {
                ObjectNode ports = c.path("ExposedPorts").isObject() ? (ObjectNode) c.get("ExposedPorts") : c.putObject("ExposedPorts");
                for (String p : rest.split("\\s+")) {
                    if (!p.matches("\\d+(-\\d+)?(/(tcp|udp|sctp))?")) {
                        throw BerthException.invalid("invalid containerPort: " + p);
                    }
                    ports.putObject(p.contains("/") ? p : p + "/tcp");
                }
            }
            case "VOLUME" -> {
                ObjectNode vols = c.path("Volumes").isObject() ? (ObjectNode) c.get("Volumes") : c.putObject("Volumes");
                JsonNode arr = rest.startsWith("[") ? parseArray(rest) : null;
                if (arr != null) {
                    arr.forEach(v -> vols.putObject(v.asText()));
                } else {
                    for (String v : rest.split("\\s+")) {
                        vols.putObject(v);
                    }
                }
            }
            case "ONBUILD" -> {
                ArrayNode ob = c.path("OnBuild").isArray() ? (ArrayNode) c.get("OnBuild") : c.putArray("OnBuild");
                ob.add(rest);
            }
            default -> throw BerthException.invalid(instr.toLowerCase(Locale.ROOT) + " is not a valid change command");
        }
    }

    /** Exec form when it parses as a JSON array of strings, else shell form: {@code /bin/sh -c "<rest>"}. */
    private static ArrayNode command(String rest) {
        if (rest.startsWith("[")) {
            JsonNode arr = parseArray(rest);
            if (arr != null) {
                return (ArrayNode) arr;
            }
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        a.add("/bin/sh").add("-c").add(rest);
        return a;
    }

    private static JsonNode parseArray(String s) {
        try {
            JsonNode n = Json.MAPPER.readTree(s);
            if (n.isArray()) {
                for (JsonNode e : n) {
                    if (!e.isTextual()) {
                        return null;
                    }
                }
                return n;
            }
        } catch (IOException e) {
            // not JSON: shell form
        }
        return null;
    }

    /** "K=V K2=V2" (quotes allowed) or the legacy "K V". */
    static List<String[]> pairs(String rest, String instr) {
        List<String[]> out = new ArrayList<>();
        List<String> words = words(rest);
        if (words.isEmpty()) {
            throw BerthException.invalid(instr + " requires at least one argument");
        }
        if (!words.getFirst().contains("=")) {
            int sp = rest.indexOf(' ');
            if (sp < 0) {
                throw BerthException.invalid(instr + " must have two arguments");
            }
            out.add(new String[] {rest.substring(0, sp), unquote(rest.substring(sp + 1).strip())});
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw BerthException.invalid("Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            }
            out.add(new String[] {w.substring(0, eq), unquote(w.substring(eq + 1))});
        }
        return out;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                cur.append(ch);
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                cur.append(ch);
            } else if (Character.isWhitespace(ch)) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(ch);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    static void setEnv(ObjectNode c, String key, String value) {
        ArrayNode env = c.path("Env").isArray() ? (ArrayNode) c.get("Env") : c.putArray("Env");
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i).asText();
            if (e.equals(key) || e.startsWith(key + "=")) {
                env.set(i, key + "=" + value);
                return;
            }
        }
        env.add(key + "=" + value);
    }
}
