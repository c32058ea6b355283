package dev.berth.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Help text in docker's layout (cobra's), built from the command table and each command's flags. */
final class Help {
    static final String ROOT_USE = "berth [OPTIONS] COMMAND";

    private Help() {
    }

    static String root() {
        StringBuilder sb = new StringBuilder();
        sb.append("\nUsage:  ").append(ROOT_USE).append("\n\n");
        sb.append("Berth: a container engine and docker-compatible CLI\n");
        section(sb, "Common Commands", Commands.Section.COMMON);
        section(sb, "Management Commands", Commands.Section.MANAGEMENT);
        section(sb, "Commands", Commands.Section.OTHER);
        sb.append("\nGlobal Options:\n");
        List<String[]> opts = List.of(
                new String[] {"      --config string", "Location of client config files (default \"~/.docker\")"},
                new String[] {"  -D, --debug", "Enable debug mode"},
                new String[] {"  -H, --host string", "Engine socket to connect to"},
                new String[] {"  -l, --log-level string", "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\") (default \"info\")"},
                new String[] {"      --tls", "Use TLS; implied by --tlsverify"},
                new String[] {"      --tlscacert string", "Trust certs signed only by this CA (default \"~/.docker/ca.pem\")"},
                new String[] {"      --tlscert string", "Path to TLS certificate file (default \"~/.docker/cert.pem\")"},
                new String[] {"      --tlskey string", "Path to TLS key file (default \"~/.docker/key.pem\")"},
                new String[] {"      --tlsverify", "Use TLS and verify the remote"},
                new String[] {"  -v, --version", "Print version information and quit"});
        table(sb, opts);
        sb.append("\nRun 'berth COMMAND --help' for more information on a command.\n");
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Commands.Section section) {
        sb.append('\n').append(title).append(":\n");
        for (Commands.Entry e : Commands.TOP) {
            if (e.section() == section) {
                sb.append("  ").append(pad(e.name(), 11)).append(' ').append(e.summary()).append('\n');
            }
        }
    }

    static String group(Commands.Entry group, String path) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nUsage:  ").append(path).append(" COMMAND\n\n").append(group.summary()).append("\n\nCommands:\n");
        for (Commands.Entry e : group.children()) {
            sb.append("  ").append(pad(e.name(), 11)).append(' ').append(e.summary()).append('\n');
        }
        sb.append("\nRun '").append(path).append(" COMMAND --help' for more information on a command.\n");
        return sb.toString();
    }

    static String command(Commands.Entry entry, String path, List<Opt> opts) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nUsage:  ").append(path).append(entry.use().isEmpty() ? "" : " " + entry.use()).append("\n\n");
        sb.append(entry.summary()).append('\n');
        if (entry.aliasHelp() != null) {
            sb.append("\nAliases:\n  ").append(entry.aliasHelp()).append('\n');
        }
        if (!opts.isEmpty()) {
            List<Opt> sorted = new ArrayList<>(opts);
            sorted.sort(Comparator.comparing(Opt::longName));
            List<String[]> rows = new ArrayList<>();
            for (Opt o : sorted) {
                String flag = (o.shortName() != 0 ? "  -" + o.shortName() + ", " : "      ") + "--" + o.longName()
                        + (o.isBoolean() ? "" : " " + o.valueLabel());
                rows.add(new String[] {flag, o.description()});
            }
            sb.append("\nOptions:\n");
            table(sb, rows);
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        for (String[] r : rows) {
            String[] lines = r[1].split("\n");
            sb.append(pad(r[0], width)).append("   ").append(lines[0]).append('\n');
            for (int i = 1; i < lines.length; i++) {
                sb.append(" ".repeat(width + 3)).append(lines[i]).append('\n');
            }
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
