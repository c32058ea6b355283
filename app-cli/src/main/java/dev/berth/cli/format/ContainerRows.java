package dev.berth.cli.format;

import dev.berth.engine.client.model.ContainerSummary;
import dev.berth.engine.format.Units;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The rows of {@code berth ps} as docker's {@code formatter.ContainerContext} makes them. */
public final class ContainerRows {
    public static final String DEFAULT_TABLE =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    public static final String QUIET = "{{.ID}}";

    public static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"),
            Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"), Map.entry("Ports", "PORTS"),
            Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
            Map.entry("Names", "NAMES"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"),
            Map.entry("LocalVolumes", "LOCAL VOLUMES"), Map.entry("Networks", "NETWORKS"));

    private ContainerRows() {
    }

    /** docker's {@code NewContainerFormat}. */
    public static String format(String source, boolean quiet, boolean size) {
        if (source.equals(Formatter.TABLE)) {
            if (quiet) {
                return QUIET;
            }
            return size ? DEFAULT_TABLE + "\t{{.Size}}" : DEFAULT_TABLE;
        }
        return source;
    }

    public record Row(ContainerSummary c, boolean trunc, Instant now) implements TemplateFields, TemplateMethods {
        @Override
        public boolean hasMethod(String name) {
            return name.equals("Label");
        }

        @Override
        public Object invoke(String name, List<Object> args) {
            if (args.size() != 1) {
                throw new IllegalArgumentException("want 1 got " + args.size());
            }
            String v = c.labels().get(String.valueOf(args.getFirst()));
            return v == null ? "" : v;
        }

        @Override
        public String typeName() {
            return "*formatter.ContainerContext";
        }

        /** The fields in the order docker's context has them (and {@code {{json .}}} sorts anyway). */
        private static final String[] FIELDS = {"Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts",
            "Names", "Networks", "Platform", "Ports", "RunningFor", "Size", "State", "Status"};

        @Override
        public Map<String, Object> asMap() {
            return new LazyFields(FIELDS, this::field);
        }

        private Object field(String name) {
            return switch (name) {
                case "Command" -> goQuote(trunc ? TabWriter.ellipsis(c.command(), 20) : c.command());
                case "CreatedAt" -> ImageRows.createdAt(c.created());
                case "ID" -> trunc ? Units.truncateId(c.id()) : c.id();
                case "Image" -> image();
                case "Labels" -> labels();
                case "LocalVolumes" -> Long.toString(c.mounts().stream().filter(x -> "local".equals(x.driver())).count());
                case "Mounts" -> mounts();
                case "Names" -> names();
                case "Networks" -> networks();
                case "Ports" -> displayablePorts(c.ports());
                case "RunningFor" -> Units.humanDuration(Duration.between(Instant.ofEpochSecond(c.created()), now)) + " ago";
                case "Size" -> size();
                case "State" -> c.state();
                case "Status" -> c.status();
                default -> null; // Platform
            };
        }

        private String image() {
            String image = c.image();
            if (image == null || image.isEmpty()) {
                return "<no image>";
            }
            if (trunc && c.imageId() != null && Units.truncateId(image).equals(Units.truncateId(c.imageId()))) {
                return Units.truncateId(image);
            }
            if (trunc) {
                // a tagged reference pinned by digest shows without the digest
                int at = image.indexOf('@');
                if (at > 0 && image.lastIndexOf(':', at) > image.lastIndexOf('/', at)) {
                    return image.substring(0, at);
                }
            }
            return image;
        }

        private String names() {
            List<String> names = new ArrayList<>();
            for (String n : c.names()) {
                names.add(n.startsWith("/") ? n.substring(1) : n);
            }
            if (trunc) {
                for (String n : names) {
                    if (!n.contains("/")) {
                        return n;
                    }
                }
            }
            return String.join(",", names);
        }

        private String labels() {
            List<String> out = new ArrayList<>();
            new TreeMap<>(c.labels()).forEach((k, v) -> out.add(k + "=" + v));
            return String.join(",", out);
        }

        private String mounts() {
            List<String> out = new ArrayList<>();
            for (ContainerSummary.Mount mt : c.mounts()) {
                String name = mt.name() != null && !mt.name().isEmpty() ? mt.name() : mt.source();
                if (trunc) {
                    name = TabWriter.ellipsis(name, 15);
                }
                out.add(name);
            }
            return String.join(",", out);
        }

        private String networks() {
            if (c.networkSettings() == null || !c.networkSettings().path("Networks").isObject()) {
                return "";
            }
            List<String> names = new ArrayList<>();
            c.networkSettings().path("Networks").fieldNames().forEachRemaining(names::add);
            names.sort(null);
            return String.join(",", names);
        }

        private String size() {
            String rw = Units.humanSizeWithPrecision(c.sizeRw(), 3);
            if (c.sizeRootFs() > 0) {
                return rw + " (virtual " + Units.humanSizeWithPrecision(c.sizeRootFs(), 3) + ")";
            }
            return rw;
        }
    }

    public static List<Row> rows(List<ContainerSummary> containers, boolean trunc, Instant now) {
        List<Row> rows = new ArrayList<>();
        for (ContainerSummary c : containers) {
            rows.add(new Row(c, trunc, now));
        }
        return rows;
    }

    /**
     * Private port, IP, public port, type. A class, not {@code Comparator.comparing} chains: the
     * JDK spins those lambdas at run time, outside the AOT cache, on every {@code berth ps}.
     */
    private static final Comparator<ContainerSummary.Port> PORT_ORDER = new PortOrder();

    private static final class PortOrder implements Comparator<ContainerSummary.Port> {
        @Override
        public int compare(ContainerSummary.Port a, ContainerSummary.Port b) {
            int c = Integer.compare(a.privatePort(), b.privatePort());
            if (c == 0) {
                c = (a.ip() == null ? "" : a.ip()).compareTo(b.ip() == null ? "" : b.ip());
            }
            if (c == 0) {
                c = Integer.compare(a.publicPort(), b.publicPort());
            }
            if (c == 0) {
                c = (a.type() == null ? "" : a.type()).compareTo(b.type() == null ? "" : b.type());
            }
            return c;
        }
    }

    /** docker's {@code DisplayablePorts}: consecutive ports grouped into ranges, then host mappings. */
    public static String displayablePorts(List<ContainerSummary.Port> input) {
        List<ContainerSummary.Port> ports = new ArrayList<>(input);
        ports.sort(PORT_ORDER);
        Map<String, int[]> groups = new LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        List<String> hostMappings = new ArrayList<>();
        for (ContainerSummary.Port p : ports) {
            int current = p.privatePort();
            String key = p.type();
            if (p.ip() != null && !p.ip().isEmpty()) {
                if (p.publicPort() != current) {
                    String host = p.ip().contains(":") ? "[" + p.ip() + "]" : p.ip();
                    hostMappings.add(host + ":" + p.publicPort() + "->" + p.privatePort() + "/" + p.type());
                    continue;
                }
                key = p.ip() + "/" + p.type();
            }
            int[] g = groups.get(key);
            if (g == null) {
                groups.put(key, new int[] {current, current});
                continue;
            }
            if (current == g[1] + 1) {
                g[1] = current;
                continue;
            }
            result.add(formGroup(key, g[0], g[1]));
            groups.put(key, new int[] {current, current});
        }
        groups.forEach((key, g) -> result.add(formGroup(key, g[0], g[1])));
        result.addAll(hostMappings);
        return String.join(", ", result);
    }

    private static String formGroup(String key, int start, int last) {
        String[] parts = key.split("/");
        String type = parts[0];
        String ip = "";
        if (parts.length > 1) {
            ip = parts[0];
            type = parts[1];
        }
        String group = Integer.toString(start);
        if (start != last) {
            group += "-" + last;
        }
        if (!ip.isEmpty()) {
            group = ip + ":" + group + "->" + group;
        }
        return group + "/" + type;
    }

    /** Go's {@code strconv.Quote}. */
    public static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case 11 -> sb.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (!Character.isDefined(cp) || Character.getType(cp) == Character.FORMAT && cp > 0xff) {
                        sb.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }
}
