package dev.berth.cli;

import java.util.List;

/**
 * Parses a command's arguments the way docker's pflag does: {@code --name value}, {@code --name=value},
 * {@code -n value}, {@code -nvalue}, clustered booleans ({@code -aq}), {@code --bool=false}, flags and
 * arguments in any order, and {@code --} to end the flags. Errors carry pflag's wording.
 *
 * <p>Hand-written rather than picocli: picocli's first parse costs about 100 ms at startup, a third
 * of a cold {@code berth images}, and its Java 5 class files cannot be put in a CDS archive.
 */
public final class ArgParser {
    /** What a command receives: a flag's long name and its value ({@code "true"}/{@code "false"} for booleans). */
    public interface Sink {
        void flag(String longName, String value);

        void argument(String value);
    }

    /** A flag the command does not take, or a flag used wrongly; the message is pflag's. */
    public static final class FlagError extends Exception {
        public FlagError(String message) {
            super(message);
        }
    }

    private ArgParser() {
    }

    /** Parses {@code args}; returns true if {@code -h}/{@code --help} was given. */
    public static boolean parse(List<String> args, List<Opt> options, Sink sink) throws FlagError {
        return parse(args, options, sink, true);
    }

    /**
     * As {@link #parse(List, List, Sink)}; with {@code interspersed} false the first argument ends
     * the flags, as pflag's {@code SetInterspersed(false)} does for {@code run} and {@code exec}.
     */
    public static boolean parse(List<String> args, List<Opt> options, Sink sink, boolean interspersed) throws FlagError {
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!interspersed && (!a.startsWith("-") || a.equals("-"))) {
                for (; i < args.size(); i++) {
                    sink.argument(args.get(i));
                }
                break;
            }
            if (a.equals("--")) {
                for (i++; i < args.size(); i++) {
                    sink.argument(args.get(i));
                }
                break;
            }
            if (a.startsWith("--") && a.length() > 2) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                String value = eq < 0 ? null : a.substring(eq + 1);
                if (name.equals("help")) {
                    help = true;
                    continue;
                }
                Opt opt = byLong(options, name);
                if (opt == null) {
                    throw new FlagError("unknown flag: --" + name);
                }
                if (opt.isBoolean()) {
                    sink.flag(opt.longName(), value == null ? "true" : parseBool(opt, value));
                } else {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new FlagError("flag needs an argument: --" + name);
                        }
                        value = args.get(++i);
                    }
                    sink.flag(opt.longName(), value);
                }
                continue;
            }
            if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    if (c == 'h' && byShort(options, 'h') == null) {
                        help = true;
                        continue;
                    }
                    Opt opt = byShort(options, c);
                    if (opt == null) {
                        throw new FlagError("unknown shorthand flag: '" + c + "' in " + a);
                    }
                    String rest = a.substring(k + 1);
                    if (opt.isBoolean()) {
                        if (rest.startsWith("=")) {
                            sink.flag(opt.longName(), parseBool(opt, rest.substring(1)));
                            break;
                        }
                        sink.flag(opt.longName(), "true");
                        continue;
                    }
                    String value;
                    if (!rest.isEmpty()) {
                        value = rest.startsWith("=") ? rest.substring(1) : rest;
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new FlagError("flag needs an argument: '" + c + "' in -" + c);
                    }
                    sink.flag(opt.longName(), value);
                    break;
                }
                continue;
            }
            sink.argument(a);
        }
        return help;
    }

    private static Opt byLong(List<Opt> options, String name) {
        for (Opt o : options) {
            if (o.longName().equals(name)) {
                return o;
            }
        }
        return null;
    }

    private static Opt byShort(List<Opt> options, char c) {
        for (Opt o : options) {
            if (o.shortName() == c) {
                return o;
            }
        }
        return null;
    }

    /** Go's {@code strconv.ParseBool}. */
    private static String parseBool(Opt opt, String value) throws FlagError {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> "true";
            case "0", "f", "F", "FALSE", "false", "False" -> "false";
            default -> throw new FlagError("invalid argument \"" + value + "\" for \"" + opt.display()
                    + "\" flag: strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        };
    }
}
