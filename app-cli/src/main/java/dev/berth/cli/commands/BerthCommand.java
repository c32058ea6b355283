package dev.berth.cli.commands;

import dev.berth.cli.ArgParser;
import dev.berth.cli.Cli;
import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.cli.format.Formatter;
import dev.berth.cli.format.GoTemplate;
import dev.berth.cli.format.TemplateException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A leaf command: {@link ArgParser} hands it its flags ({@link #flag}) and arguments ({@link #args}),
 * then {@link #run()} does the work through the engine client. Each command lists its flags in a
 * static table ({@link #options()}), which also feeds its help.
 */
public abstract class BerthCommand implements ArgParser.Sink {
    /** The positional arguments, in order. */
    protected final List<String> args = new ArrayList<>();

    protected Cli cli;
    /** How the command was invoked, e.g. {@code berth image ls}. */
    protected String path;
    /** The usage line after the path, e.g. {@code [OPTIONS] [REPOSITORY[:TAG]]}. */
    protected String use;

    public final void init(Cli cli, String path, String use) {
        this.cli = cli;
        this.path = path;
        this.use = use;
    }

    /** The flags this command takes. */
    public abstract List<Opt> options();

    /** Receives one flag by its long name; booleans arrive as {@code "true"} or {@code "false"}. */
    @Override
    public abstract void flag(String name, String value);

    @Override
    public void argument(String value) {
        args.add(value);
    }

    /** False for commands whose first argument ends the flags ({@code run IMAGE CMD -x}). */
    public boolean interspersed() {
        return true;
    }

    /** Does the work; returns the exit status. Failures are thrown and worded by {@code Main}. */
    public abstract int run() throws Exception;

    protected PrintStream out() {
        return cli.io().out();
    }

    protected PrintStream err() {
        return cli.io().err();
    }

    public String useLine() {
        return use.isEmpty() ? path : path + " " + use;
    }

    protected void noArgs(List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageError("berth: '" + path + "' accepts no arguments\n\nUsage:  " + useLine()
                    + "\n\nRun '" + path + " --help' for more information", 1);
        }
    }

    protected void exactArgs(int n, List<String> args) {
        if (args.size() != n) {
            throw new UsageError("berth: '" + path + "' requires " + n + " " + plural("argument", n) + "\n\nUsage:  "
                    + useLine() + "\n\nRun '" + path + " --help' for more information", 1);
        }
    }

    protected void minArgs(int n, List<String> args) {
        if (args.size() < n) {
            throw new UsageError("berth: '" + path + "' requires at least " + n + " " + plural("argument", n)
                    + "\n\nUsage:  " + useLine() + "\n\nRun '" + path + " --help' for more information", 1);
        }
    }

    protected void maxArgs(int n, List<String> args) {
        if (args.size() > n) {
            throw new UsageError("berth: '" + path + "' requires at most " + n + " " + plural("argument", n)
                    + "\n\nUsage:  " + useLine() + "\n\nRun '" + path + " --help' for more information", 1);
        }
    }

    /**
     * Runs a {@code --format} template over one value; a template error becomes a usage error worded
     * as docker's ({@code template parsing error: ...}), with {@code parseStatus} when it did not parse.
     */
    protected static String template(String format, Object data, GoTemplate.Options options, int parseStatus) {
        GoTemplate t = parseTemplate(format, parseStatus);
        try {
            return t.execute(data, options);
        } catch (TemplateException e) {
            throw new UsageError("template parsing error: " + e.getMessage(), 1);
        }
    }

    protected static GoTemplate parseTemplate(String format, int parseStatus) {
        try {
            return GoTemplate.parse(format);
        } catch (TemplateException e) {
            throw new UsageError("template parsing error: " + e.getMessage(), parseStatus);
        }
    }

    /** Renders rows through docker's formatter ({@code table ...}, {@code json}, or a template). */
    protected static String formatRows(String format, List<?> rows, java.util.Map<String, String> headers) {
        try {
            return Formatter.render(format, rows, headers);
        } catch (TemplateException e) {
            throw new UsageError("template parsing error: " + e.getMessage(), 1);
        }
    }

    /** docker's {@code PromptForConfirmation}: the question on stdout, a "y" or "yes" line on stdin to go on. */
    protected boolean confirm(String question) throws java.io.IOException {
        out().print(question + " [y/N] ");
        out().flush();
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(cli.io().in(),
                java.nio.charset.StandardCharsets.UTF_8));
        String answer = in.readLine();
        if (answer == null) {
            out().println();
            return false;
        }
        answer = answer.strip();
        return answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes");
    }

    private static String plural(String word, int n) {
        return n == 1 ? word : word + "s";
    }
}
