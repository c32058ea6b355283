package dev.berth.engine.client.run;

/**
 * A run/create flag that cannot become a create request. docker words two kinds differently: a
 * flag whose value does not parse ({@code invalid argument "x" for "-m, --memory" flag: ...}, then
 * the usage) and a combination it refuses later ({@code docker: conflicting options: ...}).
 */
public final class ConfigException extends RuntimeException {
    private final boolean flagValue;

    private ConfigException(String message, boolean flagValue) {
        super(message);
        this.flagValue = flagValue;
    }

    /** A value pflag would have refused while parsing the flag. */
    public static ConfigException flagValue(String flag, String value, String why) {
        return new ConfigException("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why, true);
    }

    /** Refused after parsing. */
    public static ConfigException invalid(String message) {
        return new ConfigException(message, false);
    }

    public boolean isFlagValue() {
        return flagValue;
    }
}
