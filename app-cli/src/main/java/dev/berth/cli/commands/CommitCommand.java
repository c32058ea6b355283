package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.errors.BerthException;
import dev.berth.images.ImageReference;

import java.util.ArrayList;
import java.util.List;

/** {@code berth commit}: a new image from the container's changes; prints its ID. */
public final class CommitCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('a', "author", "string", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
            Opt.value('c', "change", "list", "Apply Dockerfile instruction to the created image"),
            Opt.value('m', "message", "string", "Commit message"),
            Opt.bool('p', "pause", "Pause container during commit (default true)"));

    String author;
    final List<String> changes = new ArrayList<>();
    String message;
    boolean pause = true;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "author" -> author = value;
            case "change" -> changes.add(value);
            case "message" -> message = value;
            case "pause" -> pause = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        minArgs(1, args);
        maxArgs(2, args);
        String repo = null;
        String tag = null;
        if (args.size() == 2) {
            ImageReference ref;
            try {
                ref = ImageReference.parseNormalizedNamed(args.get(1));
            } catch (BerthException e) {
                throw BerthException.invalid("invalid reference format");
            }
            if (ref.digest().isPresent()) {
                throw BerthException.invalid("refusing to create a tag with a digest reference");
            }
            repo = ref.name();
            tag = ref.tag().orElse(null);
        }
        out().println(cli.client().containers().commit(args.getFirst(), repo, tag, message, author, pause, changes, null));
        return 0;
    }
}
