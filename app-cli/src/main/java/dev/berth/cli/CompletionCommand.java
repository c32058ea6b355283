package dev.berth.cli;

import dev.berth.cli.commands.BerthCommand;

import java.util.List;

/** {@code berth completion bash|zsh}: prints the shell's completion script. */
public final class CompletionCommand extends BerthCommand {
    @Override
    public List<Opt> options() {
        return List.of();
    }

    @Override
    public void flag(String name, String value) {
        throw new IllegalArgumentException(name);
    }

    @Override
    public int run() {
        exactArgs(1, args);
        switch (args.getFirst()) {
            case "bash" -> out().print(CompletionScript.bash());
            case "zsh" -> out().print(CompletionScript.zsh());
            default -> throw new UsageError("unsupported shell \"" + args.getFirst() + "\": use bash or zsh", 1);
        }
        return 0;
    }
}
