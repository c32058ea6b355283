package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.cli.format.TemplateFields;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.ContainerSummary;
import dev.berth.engine.format.Units;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code berth stats}: CPU, memory, network, block I/O and pids per container, computed from the
 * engine's stats JSON as docker's {@code stats} does. {@code --no-stream} prints one table; without
 * it the table is redrawn every second until interrupted.
 */
public final class StatsCommand extends BerthCommand {
    static final String DEFAULT_TABLE =
            "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("ID", "CONTAINER ID"), Map.entry("Container", "CONTAINER"), Map.entry("Name", "NAME"),
            Map.entry("CPUPerc", "CPU %"), Map.entry("MemUsage", "MEM USAGE / LIMIT"), Map.entry("MemPerc", "MEM %"),
            Map.entry("NetIO", "NET I/O"), Map.entry("BlockIO", "BLOCK I/O"), Map.entry("PIDs", "PIDS"));

    boolean all;
    String format;
    boolean noStream;
    boolean noTrunc;

    @Override
    public List<Opt> options() {
        return List.of(
                Opt.bool('a', "all", "Show all containers (default shows just running)"),
                Opt.value("format", "string", Opt.FORMAT_TABLE_HELP),
                Opt.bool("no-stream", "Disable streaming stats and only pull the first result"),
                Opt.bool("no-trunc", "Do not truncate output"));
    }

    @Override
    public void flag(String n, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (n) {
            case "all" -> all = on;
            case "format" -> format = value;
            case "no-stream" -> noStream = on;
            case "no-trunc" -> noTrunc = on;
            default -> throw new IllegalArgumentException(n);
        }
    }

    /** One container's figures, as docker's {@code StatsEntry}. */
    record Entry(String container, String id, String name, double cpu, double mem, double memLimit, double memPerc,
                 double rx, double tx, double read, double write, long pids, boolean trunc) implements TemplateFields {
        @Override
        public String typeName() {
            return "*formatter.statsContext";
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("BlockIO", Units.humanSizeWithPrecision(read, 3) + " / " + Units.humanSizeWithPrecision(write, 3));
            m.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpu));
            m.put("Container", container);
            m.put("ID", trunc ? Units.truncateId(id) : id);
            m.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", memPerc));
            m.put("MemUsage", Units.bytesSize(mem) + " / " + Units.bytesSize(memLimit));
            m.put("Name", name.startsWith("/") ? name.substring(1) : name);
            m.put("NetIO", Units.humanSizeWithPrecision(rx, 3) + " / " + Units.humanSizeWithPrecision(tx, 3));
            m.put("PIDs", Long.toString(pids));
            return m;
        }
    }

    static Entry entry(String container, JsonNode s, boolean trunc) {
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        double online = cpu.path("online_cpus").asDouble();
        if (online == 0) {
            online = cpu.path("cpu_usage").path("percpu_usage").size();
        }
        double cpuPerc = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100.0 : 0;
        JsonNode memory = s.path("memory_stats");
        double usage = memory.path("usage").asDouble();
        // docker subtracts the page cache: total_inactive_file on cgroup v1, inactive_file on v2
        JsonNode stats = memory.path("stats");
        double cache = stats.has("total_inactive_file") ? stats.path("total_inactive_file").asDouble()
                : stats.path("inactive_file").asDouble();
        if (cache < usage) {
            usage -= cache;
        }
        double limit = memory.path("limit").asDouble();
        double memPerc = limit != 0 ? usage / limit * 100.0 : 0;
        double rx = 0;
        double tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asDouble();
            tx += n.path("tx_bytes").asDouble();
        }
        double read = 0;
        double write = 0;
        for (JsonNode b : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = b.path("op").asText("");
            if (op.isEmpty()) {
                continue;
            }
            switch (Character.toLowerCase(op.charAt(0))) {
                case 'r' -> read += b.path("value").asDouble();
                case 'w' -> write += b.path("value").asDouble();
                default -> { }
            }
        }
        return new Entry(container, s.path("id").asText(container), s.path("name").asText(container), cpuPerc, usage, limit,
                memPerc, rx, tx, read, write, s.path("pids_stats").path("current").asLong(), trunc);
    }

    @Override
    public int run() throws Exception {
        ContainerClient containers = cli.client().containers();
        String source = format == null || format.isEmpty() ? "table" : format;
        String fmt = source.equals("table") ? DEFAULT_TABLE : source;
        while (true) {
            List<String> names = new ArrayList<>(args);
            if (names.isEmpty()) {
                for (ContainerSummary c : containers.list(all, 0, false, Filters.of())) {
                    names.add(c.id());
                }
            }
            List<Entry> entries = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String name : names) {
                try (var stream = containers.stats(name, false, false)) {
                    if (stream.hasNext()) {
                        entries.add(entry(name, stream.next(), !noTrunc));
                    }
                } catch (BerthException e) {
                    errors.add(Containers.message(e));
                }
            }
            if (!errors.isEmpty() && !args.isEmpty()) {
                throw new UsageError(String.join("\n", errors), 1);
            }
            String table = formatRows(fmt, entries, HEADERS);
            if (noStream) {
                out().print(table);
                return 0;
            }
            if (cli.io().stdoutIsTerminal().getAsBoolean()) {
                out().print("\033[2J\033[H");
            }
            out().print(table);
            out().flush();
            Thread.sleep(1000);
        }
    }
}
