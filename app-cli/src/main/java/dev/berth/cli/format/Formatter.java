package dev.berth.cli.format;

import java.util.List;
import java.util.Map;

/**
 * docker's {@code formatter.Context}: a {@code --format} value is {@code table ...} (a header row,
 * then aligned columns), {@code json} (one JSON object per line), or a bare template; {@code \t} and
 * {@code \n} typed literally in the format become a tab and a newline.
 */
public final class Formatter {
    public static final String TABLE = "table";
    public static final String JSON = "json";

    private Formatter() {
    }

    public static boolean isTable(String format) {
        return format.startsWith(TABLE);
    }

    /** The template text a format stands for: without {@code table}, {@code json} expanded, escapes applied. */
    public static String templateText(String format) {
        String f = format;
        if (isTable(f)) {
            f = f.substring(TABLE.length());
        } else if (f.equals(JSON)) {
            f = "{{json .}}";
        }
        f = trimSpaces(f);
        return f.replace("\\t", "\t").replace("\\n", "\n");
    }

    /**
     * Renders one line per row. A table gets a header made by running the same template over
     * {@code headers} (field name to column title), then goes through docker's tab writer.
     */
    public static String render(String format, List<?> rows, Map<String, String> headers) throws TemplateException {
        GoTemplate template = GoTemplate.parse(templateText(format));
        StringBuilder body = new StringBuilder();
        boolean json = format.equals(JSON);
        for (Object row : rows) {
            String line = template.execute(row);
            // docker marshals --format json with encoding/json's defaults, which escape HTML (the
            // {{json}} function turns that off); in JSON text these characters occur only in strings
            body.append(json ? line.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") : line).append('\n');
        }
        if (!isTable(format)) {
            return body.toString();
        }
        String header;
        try {
            header = template.execute(headers, GoTemplate.Options.HEADER);
        } catch (TemplateException e) {
            header = ""; // docker ignores a header that does not render
        }
        return TabWriter.table().write(header).write("\n").write(body.toString()).flush();
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}
