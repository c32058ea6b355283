package dev.berth.cli;

import dev.berth.cli.commands.BerthCommand;
import dev.berth.cli.commands.DaemonCommand;
import dev.berth.engine.client.EngineApiException;
import dev.berth.errors.BerthException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Entry point of the {@code berth} CLI. Global options are read here, by hand, up to the command
 * name (as docker reads them: only before the command); the command's own go to {@link ArgParser}.
 * Errors are worded and given exit statuses as docker does: 125 for bad flags, 1 for everything
 * else, "Error response from daemon: ..." for the engine's refusals.
 */
public final class Main {
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "fatal", "panic", "trace");

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, Io.system());
        // Not System.exit: since JDK 17 it sets up System.Logger just to log the exit, a noticeable
        // share of a short command's run time. run() has flushed stdout and stderr, and the CLI
        // registers no shutdown hooks (the daemon's own hook has run by the time it returns).
        Runtime.getRuntime().halt(status);
    }

    /** Runs one command line and returns its exit status. */
    public static int run(String[] args, Io io) {
        return run(args, io, false);
    }

    /**
     * Runs {@code berth daemon ...} ({@code args[0]} is "daemon") as {@link #run} would, with the same
     * flags, help and errors, but without the command table: its factory names every command class,
     * and verifying it loads all ~70 of them into a process that lives for days ({@link DaemonMain}).
     */
    static int runDaemon(String[] args, Io io) {
        return run(args, io, true);
    }

    private static int run(String[] args, Io io, boolean daemon) {
        Cli cli = new Cli(io);
        try {
            if (daemon) {
                List<String> rest = Arrays.asList(args).subList(1, args.length);
                return runLeaf(cli, DaemonMain.ENTRY, new DaemonCommand(), "berth daemon", rest);
            }
            return dispatch(cli, args);
        } catch (UsageError e) {
            return fail(io, e.getMessage(), e.status());
        } catch (EngineApiException e) {
            return fail(io, e.fromStream() ? e.getMessage() : "Error response from daemon: " + e.getMessage(), 1);
        } catch (BerthException e) {
            if (cli.debug() && e.getCause() != null) {
                e.printStackTrace(io.err());
            }
            return fail(io, e.getMessage(), 1);
        } catch (Exception | LinkageError e) {
            if (cli.debug()) {
                e.printStackTrace(io.err());
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return fail(io, message, 1);
        } finally {
            cli.close();
            io.out().flush();
            io.err().flush();
        }
    }

    private static int fail(Io io, String message, int status) {
        io.out().flush();
        if (message != null && !message.isEmpty()) {
            io.err().println(message);
        }
        return status;
    }

    private static int dispatch(Cli cli, String[] args) throws Exception {
        Io io = cli.io();
        int i = 0;
        String host = null;
        while (i < args.length) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            i++;
            if (a.equals("--")) {
                break;
            }
            String name = a;
            String value = null;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
            } else if (a.length() > 2) {
                name = a.substring(0, 2);
                value = a.substring(2);
                if (value.startsWith("=")) {
                    value = value.substring(1);
                }
            }
            switch (name) {
                case "-H", "--host" -> {
                    if (value == null) {
                        value = next(args, i++, name);
                    }
                    if (host != null) {
                        throw new UsageError("Specify only one -H", 1);
                    }
                    host = value;
                }
                case "--config" -> cli.configDir(Path.of(value != null ? value : next(args, i++, name)));
                case "-l", "--log-level" -> {
                    String level = (value != null ? value : next(args, i++, name)).toLowerCase();
                    if (!LOG_LEVELS.contains(level)) {
                        throw new UsageError("Unable to parse logging level: " + level, 1);
                    }
                    cli.logLevel(level);
                }
                case "--tls", "--tlsverify" -> {
                    boolean on = value == null || Boolean.parseBoolean(value);
                    if (name.equals("--tls")) {
                        cli.tls(on);
                    } else {
                        cli.tlsVerify(on);
                    }
                }
                case "--tlscacert", "--tlscert", "--tlskey" ->
                        cli.tlsFile(name.substring(2), Path.of(value != null ? value : next(args, i++, name)));
                case "-D", "--debug" -> {
                    requireNoValue(name, value);
                    cli.debug(true);
                }
                case "-v", "--version" -> {
                    requireNoValue(name, value);
                    io.out().println("Berth version " + Cli.VERSION);
                    return 0;
                }
                case "-h", "--help" -> {
                    requireNoValue(name, value);
                    io.out().print(Help.root());
                    return 0;
                }
                default -> throw new UsageError(unknownFlag(a) + "\n\nUsage:  " + Help.ROOT_USE
                        + " [ARG...]\n\nRun 'berth --help' for more information", 125);
            }
        }
        cli.host(host);
        if (i >= args.length) {
            io.out().print(Help.root());
            return 0;
        }
        String word = args[i];
        List<String> rest = Arrays.asList(args).subList(i + 1, args.length);
        if (word.equals("help")) {
            return help(io, rest);
        }
        Commands.Entry entry = Commands.find(Commands.TOP, word);
        if (entry == null) {
            throw new UsageError("berth: unknown command: berth " + word + "\n\nRun 'berth --help' for more information", 1);
        }
        String path = "berth " + word;
        if (entry.isGroup()) {
            if (rest.isEmpty()) {
                // docker prints a bare group's usage on stderr and succeeds
                io.err().print(Help.group(entry, path));
                return 0;
            }
            String sub = rest.getFirst();
            if (sub.equals("--help") || sub.equals("-h")) {
                io.out().print(Help.group(entry, path));
                return 0;
            }
            if (sub.startsWith("-")) {
                throw new UsageError(unknownFlag(sub) + "\n\nUsage:  " + path + " COMMAND\n\nRun '" + path
                        + " --help' for more information", 125);
            }
            Commands.Entry child = Commands.find(entry.children(), sub);
            if (child == null) {
                throw new UsageError("berth: unknown command: " + path + " " + sub + "\n\nUsage:  " + path
                        + "\n\nRun '" + path + " --help' for more information", 1);
            }
            return runLeaf(cli, child, path + " " + sub, rest.subList(1, rest.size()));
        }
        return runLeaf(cli, entry, path, rest);
    }

    private static int runLeaf(Cli cli, Commands.Entry entry, String path, List<String> args) throws Exception {
        return runLeaf(cli, entry, Commands.create(entry.factory()), path, args);
    }

    private static int runLeaf(Cli cli, Commands.Entry entry, BerthCommand command, String path, List<String> args)
            throws Exception {
        command.init(cli, path, entry.use());
        boolean help;
        try {
            help = ArgParser.parse(args, command.options(), command, command.interspersed());
        } catch (ArgParser.FlagError e) {
            throw new UsageError(e.getMessage() + "\n\nUsage:  " + command.useLine() + "\n\nRun '" + path
                    + " --help' for more information", 125);
        }
        if (help) {
            cli.io().out().print(Help.command(entry, path, command.options()));
            return 0;
        }
        return command.run();
    }

    private static int help(Io io, List<String> words) {
        if (words.isEmpty()) {
            io.out().print(Help.root());
            return 0;
        }
        Commands.Entry entry = Commands.find(Commands.TOP, words.getFirst());
        String path = "berth " + words.getFirst();
        if (entry != null && entry.isGroup() && words.size() > 1) {
            Commands.Entry child = Commands.find(entry.children(), words.get(1));
            if (child != null) {
                return printLeafHelp(io, child, path + " " + words.get(1));
            }
            entry = null;
        }
        if (entry == null) {
            throw new UsageError("Unknown help topic " + words, 1);
        }
        if (entry.isGroup()) {
            io.out().print(Help.group(entry, path));
            return 0;
        }
        return printLeafHelp(io, entry, path);
    }

    private static int printLeafHelp(Io io, Commands.Entry entry, String path) {
        io.out().print(Help.command(entry, path, Commands.create(entry.factory()).options()));
        return 0;
    }

    private static String next(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new UsageError(needsArgument(flag) + "\n\nUsage:  " + Help.ROOT_USE
                    + " [ARG...]\n\nRun 'berth --help' for more information", 125);
        }
        return args[i];
    }

    private static void requireNoValue(String flag, String value) {
        if (value != null) {
            throw new UsageError((flag.startsWith("--") ? "invalid argument \"" + value + "\" for \"" + flag + "\" flag"
                    : "unknown shorthand flag: '" + value.charAt(0) + "' in " + flag + value) + "\n\nUsage:  " + Help.ROOT_USE
                    + " [ARG...]\n\nRun 'berth --help' for more information", 125);
        }
    }

    private static String needsArgument(String flag) {
        return flag.startsWith("--") ? "flag needs an argument: " + flag : "flag needs an argument: '" + flag.charAt(1) + "' in " + flag;
    }

    private static String unknownFlag(String arg) {
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            return "unknown flag: " + (eq > 0 ? arg.substring(0, eq) : arg);
        }
        return "unknown shorthand flag: '" + (arg.length() > 1 ? arg.charAt(1) : '-') + "' in " + arg;
    }

}
