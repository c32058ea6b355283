package dev.berth.cli.commands;

import dev.berth.cli.UsageError;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.GoTemplate;
import dev.berth.cli.format.TemplateException;
import dev.berth.engine.client.EngineApiException;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's {@code inspect.Inspect}: the engine's JSON for each name, as an indented array or through
 * a template; names that fail are reported after the output, and make the exit status 1.
 */
final class Inspector {
    /** Fetches one object's raw JSON. */
    interface Getter {
        byte[] get(String name);
    }

    private Inspector() {
    }

    static int inspect(PrintStream out, List<String> names, String format, Getter getter, ErrorWording wording) {
        GoTemplate template = null;
        boolean json = false;
        if (format != null && !format.isEmpty()) {
            if (format.equals("json")) {
                json = true;
            } else {
                try {
                    template = GoTemplate.parse(format);
                } catch (TemplateException e) {
                    throw new UsageError("template parsing error: " + e.getMessage(), 64);
                }
            }
        }
        List<String> raws = new ArrayList<>();
        StringBuilder rendered = new StringBuilder();
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            byte[] raw;
            try {
                raw = getter.get(name);
            } catch (BerthException e) {
                errors.add(wording.word(name, e));
                continue;
            }
            if (template == null) {
                raws.add(new String(raw, StandardCharsets.UTF_8).strip());
                continue;
            }
            try {
                // docker runs the template over the typed value first, then over the raw JSON with
                // missingkey=error; over our raw JSON alone that is the second behaviour.
                rendered.append(template.execute(GoJson.parse(raw), GoTemplate.Options.STRICT)).append('\n');
            } catch (TemplateException e) {
                errors.add("template parsing error: " + e.getMessage());
            } catch (IOException e) {
                errors.add("unable to read inspect data: " + e.getMessage());
            }
        }
        if (template != null) {
            out.print(rendered.isEmpty() ? "\n" : rendered.toString());
        } else if (raws.isEmpty()) {
            out.println("[]");
        } else {
            String array = "[" + String.join(",", raws) + "]";
            out.println(json ? GoJson.compact(array) : GoJson.indent(array, "    "));
        }
        if (!errors.isEmpty()) {
            throw new UsageError(String.join("\n", errors), 1);
        }
        return 0;
    }

    /** How a failed lookup is worded. */
    interface ErrorWording {
        String word(String name, BerthException e);

        /** {@code Error response from daemon: No such image: x:latest}, as {@code image inspect} says it. */
        ErrorWording DAEMON = (name, e) -> e instanceof EngineApiException api && !api.fromStream()
                ? "Error response from daemon: " + e.getMessage() : e.getMessage();
    }
}
