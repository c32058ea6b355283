package dev.berth.desktop.build;

import dev.berth.images.dockerfile.Dockerfile;
import dev.berth.images.dockerfile.DockerfileParser;
import dev.berth.images.dockerfile.Instruction;
import dev.berth.images.dockerfile.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the wizard needs from a Dockerfile, parsed with the engine's own parser so an error shows here
 * exactly as the build would report it: the named stages, the ARGs with their defaults, or the error
 * and its line.
 */
public record DockerfileInfo(List<String> stages, Map<String, String> args, String error, int errorLine) {
    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    public static DockerfileInfo parse(String text) {
        Dockerfile df;
        try {
            df = DockerfileParser.parse(text);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            Matcher m = LINE.matcher(msg);
            return new DockerfileInfo(List.of(), Map.of(), msg, m.find() ? Integer.parseInt(m.group(1)) : 0);
        }
        List<String> stages = new ArrayList<>();
        Map<String, String> args = new LinkedHashMap<>();
        for (Instruction.Arg a : df.globalArgs()) {
            a.args().forEach(d -> args.putIfAbsent(d.name(), d.defaultValue() == null ? "" : d.defaultValue()));
        }
        for (Stage s : df.stages()) {
            if (s.name() != null && !s.name().isBlank()) {
                stages.add(s.name());
            }
            for (Instruction i : s.body()) {
                if (i instanceof Instruction.Arg a) {
                    a.args().forEach(d -> args.putIfAbsent(d.name(), d.defaultValue() == null ? "" : d.defaultValue()));
                }
            }
        }
        return new DockerfileInfo(List.copyOf(stages), java.util.Collections.unmodifiableMap(args), null, 0);
    }

    public boolean ok() {
        return error == null;
    }
}
