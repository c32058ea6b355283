package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.cli.format.JsonRows;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.PruneReport;
import dev.berth.engine.format.Units;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code berth volume create|ls|inspect|rm|prune}, with docker's flags and output. */
public final class VolumeCommands {
    private VolumeCommands() {
    }

    static Map<String, String> keyValues(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            out.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
        }
        return out;
    }

    /** {@code volume create [OPTIONS] [VOLUME]}: prints the volume's name. */
    public static final class Create extends BerthCommand {
        static final List<Opt> OPTIONS = List.of(
                Opt.value('d', "driver", "string", "Specify volume driver name"),
                Opt.value("label", "list", "Set metadata for a volume"),
                Opt.value("name", "string", "Specify volume name"),
                Opt.value('o', "opt", "map", "Set driver specific options"));

        String driver = "local";
        final List<String> labels = new ArrayList<>();
        String name;
        final List<String> opts = new ArrayList<>();

        @Override
        public List<Opt> options() {
            return OPTIONS;
        }

        @Override
        public void flag(String n, String value) {
            switch (n) {
                case "driver" -> driver = value;
                case "label" -> labels.add(value);
                case "name" -> name = value;
                case "opt" -> opts.add(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() {
            maxArgs(1, args);
            if (!args.isEmpty()) {
                if (name != null && !name.isEmpty() && !name.equals(args.getFirst())) {
                    throw new UsageError("conflicting options: cannot specify a volume-name through both --name and as a "
                            + "positional arg", 1);
                }
                name = args.getFirst();
            }
            JsonNode v = cli.client().volumes().create(name, driver, keyValues(opts), keyValues(labels));
            out().println(v.path("Name").asText());
            return 0;
        }
    }

    /** {@code volume ls}. */
    public static final class Ls extends BerthCommand {
        static final List<Opt> OPTIONS = List.of(
                Opt.value('f', "filter", "filter", "Provide filter values (e.g. \"dangling=true\")"),
                Opt.value("format", "string", Opt.FORMAT_TABLE_HELP),
                Opt.bool('q', "quiet", "Only display volume names"));

        final List<String> filters = new ArrayList<>();
        String format;
        boolean quiet;

        @Override
        public List<Opt> options() {
            return OPTIONS;
        }

        @Override
        public void flag(String n, String value) {
            switch (n) {
                case "filter" -> filters.add(value);
                case "format" -> format = value;
                case "quiet" -> quiet = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() {
            noArgs(args);
            JsonNode answer = cli.client().volumes().list(Filters.parse(filters));
            List<JsonNode> volumes = new ArrayList<>();
            answer.path("Volumes").forEach(volumes::add);
            volumes.sort(Comparator.comparing(v -> v.path("Name").asText("")));
            String source = format == null || format.isEmpty() ? "table" : format;
            String fmt = source.equals("table") ? (quiet ? "{{.Name}}" : JsonRows.VOLUME_TABLE) : source;
            out().print(formatRows(fmt, volumes.stream().map(JsonRows.Volume::new).toList(), JsonRows.VOLUME_HEADERS));
            return 0;
        }
    }

    /** {@code volume inspect}. */
    public static final class Inspect extends BerthCommand {
        String format;

        @Override
        public List<Opt> options() {
            return List.of(Opt.value('f', "format", "string", Opt.FORMAT_INSPECT_HELP));
        }

        @Override
        public void flag(String n, String value) {
            format = value;
        }

        @Override
        public int run() {
            minArgs(1, args);
            var volumes = cli.client().volumes();
            return Inspector.inspect(out(), args, format, volumes::inspectRaw, Inspector.ErrorWording.DAEMON);
        }
    }

    /** {@code volume rm}. */
    public static final class Rm extends BerthCommand {
        boolean force;

        @Override
        public List<Opt> options() {
            return List.of(Opt.bool('f', "force", "Force the removal of one or more volumes"));
        }

        @Override
        public void flag(String n, String value) {
            force = Boolean.parseBoolean(value);
        }

        @Override
        public int run() throws Exception {
            minArgs(1, args);
            var volumes = cli.client().volumes();
            return Containers.forEach(cli, args, name -> volumes.remove(name, force));
        }
    }

    /** {@code volume prune}. */
    public static final class Prune extends BerthCommand {
        boolean all;
        final List<String> filters = new ArrayList<>();
        boolean force;

        @Override
        public List<Opt> options() {
            return List.of(
                    Opt.bool('a', "all", "Remove all unused volumes, not just anonymous ones"),
                    Opt.value("filter", "filter", "Provide filter values (e.g. \"label=<label>\")"),
                    Opt.bool('f', "force", "Do not prompt for confirmation"));
        }

        @Override
        public void flag(String n, String value) {
            switch (n) {
                case "all" -> all = Boolean.parseBoolean(value);
                case "filter" -> filters.add(value);
                case "force" -> force = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() throws Exception {
            noArgs(args);
            String warning = all ? "WARNING! This will remove all local volumes not used by at least one container."
                    : "WARNING! This will remove anonymous local volumes not used by at least one container.";
            if (!force && !confirm(warning + "\nAre you sure you want to continue?")) {
                return 0;
            }
            Filters f = Filters.parse(filters);
            if (all) {
                f.add("all", "true");
            }
            PruneReport report = cli.client().volumes().prune(f);
            printPruned(this, "Deleted Volumes:", report, true);
            return 0;
        }
    }

    static void printPruned(BerthCommand c, String title, PruneReport report, boolean space) {
        if (!report.deleted().isEmpty()) {
            StringBuilder sb = new StringBuilder(title).append('\n');
            report.deleted().forEach(d -> sb.append(d).append('\n'));
            c.out().println(sb);
        }
        if (space) {
            c.out().println("Total reclaimed space: " + Units.humanSize(report.spaceReclaimed()));
        }
    }

}
