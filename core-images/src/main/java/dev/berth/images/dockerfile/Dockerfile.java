package dev.berth.images.dockerfile;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;

/** A parsed Dockerfile: the escape character, the ARGs before the first FROM, and the stages. */
public record Dockerfile(char escape, List<Instruction.Arg> globalArgs, List<Stage> stages) {
    public Dockerfile {
        globalArgs = List.copyOf(globalArgs);
        stages = List.copyOf(stages);
    }

    /** Stage names in order; unnamed stages give null. */
    public List<String> stageNames() {
        List<String> names = new ArrayList<>();
        for (Stage s : stages) names.add(s.name());
        return names;
    }

    /** The stage named (case-insensitively) or numbered so, or null. */
    public Stage stage(String nameOrIndex) {
        return StageGraph.find(this, nameOrIndex, stages.size());
    }

    /** The stage {@code --target} selects (the last one when target is null/empty). */
    public Stage target(String target) {
        if (target == null || target.isEmpty()) return stages.getLast();
        Stage s = stage(target);
        if (s == null) {
            throw BerthException.invalid("failed to reach build target " + target + " in Dockerfile");
        }
        return s;
    }

    /** The stages the target needs, in Dockerfile order, the target last. Raw (unexpanded) references. */
    public List<Stage> stagesNeededFor(String target) {
        return StageGraph.needed(this, target(target), s -> s);
    }

    /** Same, resolving each FROM image / --from value through {@code expand} first (for ARG-dependent names). */
    public List<Stage> stagesNeededFor(String target, java.util.function.UnaryOperator<String> expand) {
        return StageGraph.needed(this, target(target), expand);
    }
}
