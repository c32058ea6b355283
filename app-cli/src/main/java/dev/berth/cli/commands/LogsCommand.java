package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.StdStreams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** {@code berth logs}: stdout to stdout, stderr to stderr, as the container wrote them. */
public final class LogsCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool("details", "Show extra details provided to logs"),
            Opt.bool('f', "follow", "Follow log output"),
            Opt.value("since", "string", "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
            Opt.value('n', "tail", "string", "Number of lines to show from the end of the logs"),
            Opt.bool('t', "timestamps", "Show timestamps"),
            Opt.value("until", "string", "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"));

    boolean details;
    boolean follow;
    String since;
    String tail = "all";
    boolean timestamps;
    String until;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (name) {
            case "details" -> details = on;
            case "follow" -> follow = on;
            case "since" -> since = value;
            case "tail" -> tail = value;
            case "timestamps" -> timestamps = on;
            case "until" -> until = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws IOException {
        exactArgs(1, args);
        ContainerClient containers = cli.client().containers();
        String name = args.getFirst();
        boolean tty = containers.inspect(name).path("Config").path("Tty").asBoolean(false);
        var options = new ContainerClient.LogsOptions(true, true, follow, timestamps, since, until, tail, details);
        try (InputStream in = containers.logs(name, options)) {
            OutputStream out = cli.io().rawOut();
            if (tty) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } else {
                StdStreams.demultiplex(in, out, err());
            }
        }
        return 0;
    }
}
