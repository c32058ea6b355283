package dev.berth.engine.build;

import dev.berth.images.dockerfile.Instruction;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a shell-form RUN with heredocs runs, as BuildKit's dockerfile frontend decides (the classic
 * builder has no heredocs): a lone {@code <<EOF} runs the heredoc's text as the shell's script;
 * otherwise the heredocs are put back after the command line for the shell to read itself.
 */
final class HeredocScript {
    private static final Pattern LONE = Pattern.compile("^<<-?\\s*([\"']?)[A-Za-z0-9_]+\\1\\s*$");

    private HeredocScript() {
    }

    static List<String> args(List<String> args, List<Instruction.Heredoc> heredocs) {
        if (heredocs == null || heredocs.isEmpty()) {
            return args;
        }
        String line = String.join(" ", args);
        if (heredocs.size() == 1 && LONE.matcher(line.strip()).matches()) {
            return List.of(heredocs.getFirst().content());
        }
        StringBuilder full = new StringBuilder(line);
        for (Instruction.Heredoc h : heredocs) {
            full.append('\n').append(h.content()).append(h.content().endsWith("\n") ? "" : "\n").append(h.name());
        }
        return List.of(full.toString());
    }
}
