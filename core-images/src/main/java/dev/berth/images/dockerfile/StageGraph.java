package dev.berth.images.dockerfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Which stages a target depends on: via {@code FROM <stage>}, {@code COPY --from=<stage|index>} and {@code RUN --mount=from=}. */
final class StageGraph {
    private StageGraph() {}

    /** A stage by name or index among the first {@code limit} stages (a stage can only refer to earlier ones). */
    static Stage find(Dockerfile df, String ref, int limit) {
        if (ref == null || ref.isEmpty()) return null;
        String lower = ref.toLowerCase(Locale.ROOT);
        for (int i = 0; i < limit && i < df.stages().size(); i++) {
            Stage s = df.stages().get(i);
            if (lower.equals(s.name())) return s;
        }
        if (lower.chars().allMatch(Character::isDigit) && lower.length() < 10) {
            int idx = Integer.parseInt(lower);
            if (idx < limit && idx < df.stages().size()) return df.stages().get(idx);
        }
        return null;
    }

    /** The stages a stage refers to directly. */
    static List<Stage> dependencies(Dockerfile df, Stage stage, UnaryOperator<String> expand) {
        List<Stage> deps = new ArrayList<>();
        Stage base = findByName(df, expand.apply(stage.from().image()), stage.index());
        if (base != null) deps.add(base);
        for (Instruction in : stage.body()) {
            String ref = switch (in) {
                case Instruction.Copy c -> c.from();
                default -> null;
            };
            if (ref != null) add(deps, find(df, expand.apply(ref), stage.index()));
            if (in instanceof Instruction.Run r) {
                for (Instruction.Mount m : r.mounts()) {
                    if (m.from() != null) add(deps, find(df, expand.apply(m.from()), stage.index()));
                }
            }
        }
        return deps;
    }

    /** FROM refers to a stage by name only: {@code FROM 0} is an image called "0". */
    private static Stage findByName(Dockerfile df, String ref, int limit) {
        if (ref == null) return null;
        String lower = ref.toLowerCase(Locale.ROOT);
        for (int i = 0; i < limit; i++) {
            if (lower.equals(df.stages().get(i).name())) return df.stages().get(i);
        }
        return null;
    }

    private static void add(List<Stage> deps, Stage s) {
        if (s != null && !deps.contains(s)) deps.add(s);
    }

    static List<Stage> needed(Dockerfile df, Stage target, UnaryOperator<String> expand) {
        Set<Stage> seen = new LinkedHashSet<>();
        List<Stage> todo = new ArrayList<>(List.of(target));
        while (!todo.isEmpty()) {
            Stage s = todo.removeLast();
            if (!seen.add(s)) continue;
            todo.addAll(dependencies(df, s, expand));
        }
        List<Stage> out = new ArrayList<>(seen);
        out.sort(Comparator.comparingInt(Stage::index));
        return out;
    }
}
