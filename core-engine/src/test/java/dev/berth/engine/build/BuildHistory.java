package dev.berth.engine.build;

import dev.berth.engine.testing.Processes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An image's {@code docker history --no-trunc}, per entry: the created_by text, and whether the entry
 * names an image (a step of the parent chain) or is {@code <missing>}. IDs and times differ between
 * engines; what each step wrote must not.
 */
final class BuildHistory {
    private BuildHistory() {
    }

    static List<String> of(Function<String[], Processes.Result> docker, String image) {
        String out = docker.apply(new String[]{"history", "--no-trunc", "--format",
                "{{if eq .ID \"<missing>\"}}missing{{else}}image{{end}} {{.CreatedBy}}", image}).assertOk().stdout();
        // COPY/ADD name their sources by moby's tarsum (file:, dir:, multi:): compared digit for digit.
        return out.lines().toList();
    }

    static List<String> differences(List<String> docker, List<String> berth) {
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < Math.max(docker.size(), berth.size()); i++) {
            String d = i < docker.size() ? docker.get(i) : "(none)";
            String b = i < berth.size() ? berth.get(i) : "(none)";
            if (!d.equals(b)) {
                diffs.add("history[" + i + "]: docker=" + d + "\n           berth=" + b);
            }
        }
        return diffs;
    }
}
