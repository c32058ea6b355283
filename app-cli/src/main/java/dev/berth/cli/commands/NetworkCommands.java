package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.cli.format.JsonRows;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.PruneReport;
import dev.berth.images.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code berth network create|ls|inspect|rm|prune|connect|disconnect}, with docker's flags and output. */
public final class NetworkCommands {
    private NetworkCommands() {
    }

    /** {@code network create}: prints the new network's ID. */
    public static final class Create extends BerthCommand {
        static final List<Opt> OPTIONS = List.of(
                Opt.bool("attachable", "Enable manual container attachment"),
                Opt.value('d', "driver", "string", "Driver to manage the Network"),
                Opt.value("gateway", "strings", "IPv4 or IPv6 Gateway for the master subnet"),
                Opt.bool("internal", "Restrict external access to the network"),
                Opt.value("ip-range", "strings", "Allocate container ip from a sub-range"),
                Opt.value("ipam-driver", "string", "IP Address Management Driver"),
                Opt.bool("ipv6", "Enable or disable IPv6 networking"),
                Opt.value("label", "list", "Set metadata on a network"),
                Opt.value('o', "opt", "map", "Set driver specific options"),
                Opt.value("subnet", "strings", "Subnet in CIDR format that represents a network segment"));

        boolean attachable;
        String driver = "bridge";
        final List<String> gateways = new ArrayList<>();
        boolean internal;
        final List<String> ipRanges = new ArrayList<>();
        String ipamDriver = "default";
        boolean ipv6;
        final List<String> labels = new ArrayList<>();
        final List<String> opts = new ArrayList<>();
        final List<String> subnets = new ArrayList<>();

        @Override
        public List<Opt> options() {
            return OPTIONS;
        }

        @Override
        public void flag(String n, String value) {
            boolean on = Boolean.parseBoolean(value);
            switch (n) {
                case "attachable" -> attachable = on;
                case "driver" -> driver = value;
                case "gateway" -> gateways.add(value);
                case "internal" -> internal = on;
                case "ip-range" -> ipRanges.add(value);
                case "ipam-driver" -> ipamDriver = value;
                case "ipv6" -> ipv6 = on;
                case "label" -> labels.add(value);
                case "opt" -> opts.add(value);
                case "subnet" -> subnets.add(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() {
            exactArgs(1, args);
            if (gateways.size() > subnets.size() || ipRanges.size() > subnets.size()) {
                throw new UsageError("every ip-range or gateway must have a corresponding subnet", 1);
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("Name", args.getFirst());
            body.put("Driver", driver);
            body.put("Internal", internal);
            body.put("Attachable", attachable);
            body.put("EnableIPv6", ipv6);
            ObjectNode ipam = body.putObject("IPAM");
            ipam.put("Driver", ipamDriver);
            var config = ipam.putArray("Config");
            for (int i = 0; i < subnets.size(); i++) {
                ObjectNode c = config.addObject().put("Subnet", subnets.get(i));
                if (i < ipRanges.size()) {
                    c.put("IPRange", ipRanges.get(i));
                }
                if (i < gateways.size()) {
                    c.put("Gateway", gateways.get(i));
                }
            }
            body.set("Options", Json.MAPPER.valueToTree(VolumeCommands.keyValues(opts)));
            body.set("Labels", Json.MAPPER.valueToTree(VolumeCommands.keyValues(labels)));
            out().println(cli.client().networks().create(body).id());
            return 0;
        }
    }

    /** {@code network ls}. */
    public static final class Ls extends BerthCommand {
        final List<String> filters = new ArrayList<>();
        String format;
        boolean noTrunc;
        boolean quiet;

        @Override
        public List<Opt> options() {
            return List.of(
                    Opt.value('f', "filter", "filter", "Provide filter values (e.g. \"driver=bridge\")"),
                    Opt.value("format", "string", Opt.FORMAT_TABLE_HELP),
                    Opt.bool("no-trunc", "Do not truncate the output"),
                    Opt.bool('q', "quiet", "Only display network IDs"));
        }

        @Override
        public void flag(String n, String value) {
            switch (n) {
                case "filter" -> filters.add(value);
                case "format" -> format = value;
                case "no-trunc" -> noTrunc = Boolean.parseBoolean(value);
                case "quiet" -> quiet = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() {
            noArgs(args);
            JsonNode answer = cli.client().networks().list(Filters.parse(filters));
            List<JsonNode> networks = new ArrayList<>();
            answer.forEach(networks::add);
            networks.sort(Comparator.comparing(n -> n.path("Name").asText("")));
            String source = format == null || format.isEmpty() ? "table" : format;
            String fmt = source.equals("table") ? (quiet ? "{{.ID}}" : JsonRows.NETWORK_TABLE) : source;
            out().print(formatRows(fmt, networks.stream().map(n -> new JsonRows.Network(n, !noTrunc)).toList(),
                    JsonRows.NETWORK_HEADERS));
            return 0;
        }
    }

    /** {@code network inspect}. */
    public static final class Inspect extends BerthCommand {
        String format;
        boolean verbose;

        @Override
        public List<Opt> options() {
            return List.of(Opt.value('f', "format", "string", Opt.FORMAT_INSPECT_HELP),
                    Opt.bool('v', "verbose", "Verbose output for diagnostics"));
        }

        @Override
        public void flag(String n, String value) {
            switch (n) {
                case "format" -> format = value;
                case "verbose" -> verbose = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() {
            minArgs(1, args);
            var networks = cli.client().networks();
            return Inspector.inspect(out(), args, format, name -> networks.inspectRaw(name, verbose), Inspector.ErrorWording.DAEMON);
        }
    }

    /** {@code network rm}. */
    public static final class Rm extends BerthCommand {
        @Override
        public List<Opt> options() {
            return List.of(Opt.bool('f', "force", "Do not error if the network does not exist"));
        }

        boolean force;

        @Override
        public void flag(String n, String value) {
            force = Boolean.parseBoolean(value);
        }

        @Override
        public int run() throws Exception {
            minArgs(1, args);
            var networks = cli.client().networks();
            return Containers.forEach(cli, args, name -> {
                try {
                    networks.remove(name);
                } catch (dev.berth.errors.BerthException e) {
                    if (!force || e.category() != dev.berth.errors.ErrorCategory.NOT_FOUND) {
                        throw e;
                    }
                }
            });
        }
    }

    /** {@code network prune}. */
    public static final class Prune extends BerthCommand {
        final List<String> filters = new ArrayList<>();
        boolean force;

        @Override
        public List<Opt> options() {
            return List.of(Opt.value("filter", "filter", "Provide filter values (e.g. \"until=<timestamp>\")"),
                    Opt.bool('f', "force", "Do not prompt for confirmation"));
        }

        @Override
        public void flag(String n, String value) {
            switch (n) {
                case "filter" -> filters.add(value);
                case "force" -> force = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() throws Exception {
            noArgs(args);
            if (!force && !confirm("WARNING! This will remove all custom networks not used by at least one container.\n"
                    + "Are you sure you want to continue?")) {
                return 0;
            }
            PruneReport report = cli.client().networks().prune(Filters.parse(filters));
            VolumeCommands.printPruned(this, "Deleted Networks:", report, false);
            return 0;
        }
    }

    /** {@code network connect} and {@code network disconnect}. */
    public static final class Connect extends BerthCommand {
        private final boolean connect;
        final List<String> aliases = new ArrayList<>();
        String ip;
        String ip6;
        final List<String> links = new ArrayList<>();
        boolean force;

        public Connect(boolean connect) {
            this.connect = connect;
        }

        @Override
        public List<Opt> options() {
            return connect ? List.of(
                    Opt.value("alias", "strings", "Add network-scoped alias for the container"),
                    Opt.value("ip", "string", "IPv4 address (e.g., \"172.30.100.104\")"),
                    Opt.value("ip6", "string", "IPv6 address (e.g., \"2001:db8::33\")"),
                    Opt.value("link", "list", "Add link to another container"))
                    : List.of(Opt.bool('f', "force", "Force the container to disconnect from a network"));
        }

        @Override
        public void flag(String n, String value) {
            switch (n) {
                case "alias" -> aliases.addAll(List.of(value.split(",")));
                case "ip" -> ip = value;
                case "ip6" -> ip6 = value;
                case "link" -> links.add(value);
                case "force" -> force = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException(n);
            }
        }

        @Override
        public int run() {
            exactArgs(2, args);
            if (connect) {
                cli.client().networks().connect(args.get(0), args.get(1), aliases, ip, ip6, links);
            } else {
                cli.client().networks().disconnect(args.get(0), args.get(1), force);
            }
            return 0;
        }
    }
}
