package dev.berth.cli;

/**
 * One command-line flag, declared in a command's static option table.
 *
 * @param shortName  the one-letter form ({@code 'a'} for {@code -a}), or 0 for none
 * @param longName   the long form without dashes ({@code all} for {@code --all})
 * @param valueLabel what the flag's value is called in help ({@code string}); null for a boolean flag
 * @param description the help text; lines separated by {@code \n}
 */
public record Opt(char shortName, String longName, String valueLabel, String description) {
    public static Opt bool(char shortName, String longName, String description) {
        return new Opt(shortName, longName, null, description);
    }

    public static Opt bool(String longName, String description) {
        return new Opt((char) 0, longName, null, description);
    }

    public static Opt value(char shortName, String longName, String label, String description) {
        return new Opt(shortName, longName, label, description);
    }

    public static Opt value(String longName, String label, String description) {
        return new Opt((char) 0, longName, label, description);
    }

    public boolean isBoolean() {
        return valueLabel == null;
    }

    /** How pflag names a flag in errors: {@code -a, --all} or {@code --digests}. */
    public String display() {
        return shortName != 0 ? "-" + shortName + ", --" + longName : "--" + longName;
    }

    /** The help text for {@code --format} shared by list commands, as docker words it. */
    public static final String FORMAT_TABLE_HELP = "Format output using a custom template:\n"
            + "'table':            Print output in table format with column headers (default)\n"
            + "'table TEMPLATE':   Print output in table format using the given Go template\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

    /** The help text for {@code --format} of inspect-like commands. */
    public static final String FORMAT_INSPECT_HELP = "Format output using a custom template:\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";
}
