package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.format.TabWriter;
import dev.berth.engine.client.model.ContainerTop;

import java.util.List;

/** {@code berth top CONTAINER [ps OPTIONS]}: the engine's ps output, re-aligned as docker does. */
public final class TopCommand extends BerthCommand {
    @Override
    public List<Opt> options() {
        return List.of();
    }

    @Override
    public boolean interspersed() {
        return false;
    }

    @Override
    public void flag(String name, String value) {
        throw new IllegalArgumentException(name);
    }

    @Override
    public int run() {
        minArgs(1, args);
        String psArgs = String.join(" ", args.subList(1, args.size()));
        ContainerTop top = cli.client().containers().top(args.getFirst(), psArgs);
        StringBuilder sb = new StringBuilder(String.join("\t", top.titles())).append('\n');
        for (List<String> p : top.processes()) {
            sb.append(String.join("\t", p)).append('\n');
        }
        // docker: tabwriter.NewWriter(out, 20, 1, 3, ' ', 0)
        out().print(new TabWriter(20, 3).write(sb.toString()).flush());
        return 0;
    }
}
