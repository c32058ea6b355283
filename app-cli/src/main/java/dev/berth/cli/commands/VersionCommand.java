package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.GoTemplate;
import dev.berth.cli.format.TabWriter;
import dev.berth.engine.client.EngineClient;
import dev.berth.errors.BerthException;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** {@code berth version}: the client's version, then the engine's (docker's layout). */
public final class VersionCommand extends FormatOnlyCommand {
    @Override
    public int run() throws Exception {
        noArgs(args);
        Map<String, Object> server = null;
        BerthException serverError = null;
        String apiVersion = EngineClient.MAX_API_VERSION;
        try {
            EngineClient client = cli.client();
            @SuppressWarnings("unchecked")
            Map<String, Object> raw = (Map<String, Object>) GoJson.parse(client.versionRaw());
            server = raw;
            apiVersion = client.apiVersion();
        } catch (BerthException e) {
            serverError = e;
        }
        Map<String, Object> client = clientInfo(apiVersion);
        if (format != null && !format.isEmpty()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("Client", client);
            data.put("Server", server);
            String f = format.equals("json") ? "{{json .}}" : format;
            out().println(template(f, data, GoTemplate.Options.DEFAULT, 64));
        } else {
            out().print(render(client, server));
        }
        if (serverError != null) {
            out().flush();
            throw serverError;
        }
        return 0;
    }

    static Map<String, Object> clientInfo(String apiVersion) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Version", Cli.VERSION);
        c.put("ApiVersion", apiVersion);
        c.put("DefaultAPIVersion", EngineClient.MAX_API_VERSION);
        c.put("JavaVersion", Runtime.version().toString());
        c.put("Os", System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT));
        c.put("Arch", goArch(System.getProperty("os.arch", "")));
        c.put("Context", "default");
        return c;
    }

    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> javaArch;
        };
    }

    /** docker's default version template, through a tab writer of minimum width 20 and padding 1. */
    static String render(Map<String, Object> client, Map<String, Object> server) {
        StringBuilder sb = new StringBuilder();
        sb.append("Client:\n");
        sb.append(" Version:\t").append(client.get("Version")).append('\n');
        sb.append(" API version:\t").append(client.get("ApiVersion"));
        if (!client.get("ApiVersion").equals(client.get("DefaultAPIVersion"))) {
            sb.append(" (downgraded from ").append(client.get("DefaultAPIVersion")).append(')');
        }
        sb.append('\n');
        sb.append(" Java version:\t").append(client.get("JavaVersion")).append('\n');
        sb.append(" OS/Arch:\t").append(client.get("Os")).append('/').append(client.get("Arch")).append('\n');
        sb.append(" Context:\t").append(client.get("Context"));
        if (server != null) {
            sb.append("\n\nServer:");
            String platform = text(server.get("Platform") instanceof Map<?, ?> p ? p.get("Name") : null);
            if (!platform.isEmpty()) {
                sb.append(' ').append(platform);
            }
            List<Map<?, ?>> components = new ArrayList<>();
            if (server.get("Components") instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        components.add(m);
                    }
                }
            }
            if (components.stream().noneMatch(m -> "Engine".equals(m.get("Name")))) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("ApiVersion", server.get("ApiVersion"));
                details.put("MinAPIVersion", server.get("MinAPIVersion"));
                details.put("GitCommit", server.get("GitCommit"));
                details.put("GoVersion", server.get("GoVersion"));
                details.put("Os", server.get("Os"));
                details.put("Arch", server.get("Arch"));
                details.put("BuildTime", server.get("BuildTime"));
                details.put("Experimental", String.valueOf(Boolean.TRUE.equals(server.get("Experimental"))));
                Map<String, Object> engine = new LinkedHashMap<>();
                engine.put("Name", "Engine");
                engine.put("Version", server.get("Version"));
                engine.put("Details", details);
                components.add(engine);
            }
            for (Map<?, ?> component : components) {
                Map<?, ?> details = component.get("Details") instanceof Map<?, ?> d ? d : Map.of();
                sb.append("\n ").append(text(component.get("Name"))).append(':');
                if ("Engine".equals(component.get("Name"))) {
                    sb.append("\n  Version:\t").append(text(component.get("Version")));
                    sb.append("\n  API version:\t").append(text(details.get("ApiVersion")))
                            .append(" (minimum version ").append(text(details.get("MinAPIVersion"))).append(')');
                    sb.append("\n  Go version:\t").append(text(details.get("GoVersion")));
                    sb.append("\n  Git commit:\t").append(text(details.get("GitCommit")));
                    sb.append("\n  Built:\t").append(reformatDate(text(details.get("BuildTime"))));
                    sb.append("\n  OS/Arch:\t").append(text(details.get("Os"))).append('/').append(text(details.get("Arch")));
                    sb.append("\n  Experimental:\t").append(text(details.get("Experimental")));
                } else {
                    sb.append("\n  Version:\t").append(text(component.get("Version")));
                    for (Object key : new TreeSet<>(details.keySet().stream().map(String::valueOf).toList())) {
                        sb.append("\n  ").append(key).append(":\t").append(text(details.get(key)));
                    }
                }
            }
        }
        return new TabWriter(20, 1).write(sb.toString()).write("\n").flush();
    }

    private static String text(Object o) {
        return o == null ? "" : GoTemplate.print(o);
    }

    /** docker shows RFC 3339 build times in Go's ANSIC layout: {@code Mon Jan  2 15:04:05 2006}. */
    static String reformatDate(String buildTime) {
        try {
            OffsetDateTime t = OffsetDateTime.parse(buildTime);
            return t.format(DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT));
        } catch (DateTimeParseException e) {
            return buildTime;
        }
    }
}
