package dev.berth.engine.client.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.format.Units;
import dev.berth.images.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one place where {@code run}/{@code create} flags become the body of {@code POST
 * /containers/create}, as docker's {@code parse()} in {@code cli/command/container/opts.go} makes
 * it: {@code Config}, {@code HostConfig} and {@code NetworkingConfig}. Fields that would be empty are
 * left out, so the engine applies its defaults.
 */
public final class ContainerConfigBuilder {
    /** What to send, and what the CLI itself needs to know to run it. */
    public record Result(String name, String platform, String image, String pull, ObjectNode body) {
        public boolean tty() {
            return body.path("Tty").asBoolean(false);
        }

        public boolean attachStdin() {
            return body.path("AttachStdin").asBoolean(false);
        }

        public boolean attachStdout() {
            return body.path("AttachStdout").asBoolean(false);
        }

        public boolean attachStderr() {
            return body.path("AttachStderr").asBoolean(false);
        }

        public boolean autoRemove() {
            return body.path("HostConfig").path("AutoRemove").asBoolean(false);
        }
    }


    private final Function<String, String> hostEnv;
    private final Path cwd;

    /**
     * @param hostEnv the CLI's environment, for {@code -e NAME} without a value
     * @param cwd     where relative {@code -v ./dir:...} and {@code --env-file} paths start
     */
    public ContainerConfigBuilder(Function<String, String> hostEnv, Path cwd) {
        this.hostEnv = hostEnv;
        this.cwd = cwd;
    }

    /** @param consoleSize {@code [height, width]} of the terminal when {@code -t}, or null */
    public Result build(ContainerOptions o, boolean forRun, int[] consoleSize) {
        String image = o.args.getFirst();
        List<String> cmd = o.args.subList(1, o.args.size());
        String pull = validatePull(o.pull);

        // memory and cpus parse as flag values (pflag types in docker): checked first, worded as such
        long memory = o.memory == null ? 0 : ramInBytes("-m, --memory", o.memory);
        long nanoCpus = o.cpus == null ? 0 : nanoCpus(o.cpus);
        List<String> extraHosts = new ArrayList<>();
        for (String h : o.addHosts) {
            extraHosts.add(extraHost(h));
        }
        List<ObjectNode> mounts = new ArrayList<>();
        for (String m : o.mounts) {
            mounts.add(MountSpec.parse(m));
        }

        boolean attachStdin = false;
        boolean attachStdout = false;
        boolean attachStderr = false;
        for (String a : o.attach) {
            switch (a.toLowerCase(Locale.ROOT)) {
                case "stdin" -> attachStdin = true;
                case "stdout" -> attachStdout = true;
                case "stderr" -> attachStderr = true;
                default -> throw ConfigException.flagValue("-a, --attach", a, "valid streams are STDIN, STDOUT and STDERR");
            }
        }
        if (o.interactive) {
            attachStdin = true;
        }
        if (o.attach.isEmpty()) {
            attachStdout = true;
            attachStderr = true;
        }
        if (forRun && o.detach) {
            if (!o.attach.isEmpty()) {
                throw ConfigException.invalid("conflicting options: cannot specify both --attach and --detach");
            }
            attachStdin = false;
            attachStdout = false;
            attachStderr = false;
        }

        Map<String, List<ObjectNode>> bindings = new LinkedHashMap<>();
        List<String> exposed = new ArrayList<>();
        for (String p : o.publish) {
            for (PortSpec.Mapping m : PortSpec.parse(p)) {
                if (!exposed.contains(m.port())) {
                    exposed.add(m.port());
                }
                ObjectNode b = Json.MAPPER.createObjectNode().put("HostIp", m.hostIp()).put("HostPort", m.hostPort());
                bindings.computeIfAbsent(m.port(), k -> new ArrayList<>()).add(b);
            }
        }
        for (String e : o.expose) {
            for (String port : PortSpec.expose(e)) {
                if (!exposed.contains(port)) {
                    exposed.add(port);
                }
            }
        }

        List<String> binds = new ArrayList<>();
        List<String> anonymous = new ArrayList<>();
        for (String v : o.volumes) {
            VolumeSpec spec = VolumeSpec.parse(v, cwd);
            if (spec.bind() != null) {
                binds.add(spec.bind());
            } else {
                anonymous.add(spec.target());
            }
        }

        ObjectNode restart = null;
        if (o.restart != null && !o.restart.isEmpty()) {
            restart = restartPolicy(o.restart);
            String policy = restart.path("Name").asText();
            if (o.rm && !policy.equals("no") && !policy.isEmpty()) {
                throw ConfigException.invalid("conflicting options: cannot specify both --restart and --rm");
            }
        }

        List<String> env = new ArrayList<>();
        for (String file : o.envFiles) {
            env.addAll(envFile(file));
        }
        for (String e : o.env) {
            String checked = env(e);
            if (checked != null) {
                env.add(checked);
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : o.labels) {
            int eq = l.indexOf('=');
            String key = eq < 0 ? l : l.substring(0, eq);
            if (key.isEmpty()) {
                throw ConfigException.flagValue("-l, --label", l, "invalid label '" + l + "': empty name");
            }
            labels.put(key, eq < 0 ? "" : l.substring(eq + 1));
        }

        ObjectNode body = Json.MAPPER.createObjectNode();
        putIfSet(body, "Hostname", o.hostname);
        putIfSet(body, "User", o.user);
        body.put("AttachStdin", attachStdin);
        body.put("AttachStdout", attachStdout);
        body.put("AttachStderr", attachStderr);
        if (!exposed.isEmpty()) {
            ObjectNode ports = body.putObject("ExposedPorts");
            exposed.forEach(p -> ports.putObject(p));
        }
        body.put("Tty", o.tty);
        body.put("OpenStdin", o.interactive);
        body.put("StdinOnce", o.interactive && attachStdin);
        if (!env.isEmpty()) {
            env.forEach(body.putArray("Env")::add);
        }
        if (!cmd.isEmpty()) {
            cmd.forEach(body.putArray("Cmd")::add);
        }
        body.put("Image", image);
        if (!anonymous.isEmpty()) {
            ObjectNode vols = body.putObject("Volumes");
            anonymous.forEach(vols::putObject);
        }
        putIfSet(body, "WorkingDir", o.workdir);
        if (o.entrypoint != null) {
            body.putArray("Entrypoint").add(o.entrypoint);
        }
        if (!labels.isEmpty()) {
            ObjectNode l = body.putObject("Labels");
            labels.forEach(l::put);
        }
        putIfSet(body, "StopSignal", o.stopSignal);
        if (o.stopTimeout != null) {
            body.put("StopTimeout", intFlag("--stop-timeout", o.stopTimeout));
        }
        ObjectNode health = healthcheck(o);
        if (health != null) {
            body.set("Healthcheck", health);
        }

        ObjectNode hc = body.putObject("HostConfig");
        if (!binds.isEmpty()) {
            binds.forEach(hc.putArray("Binds")::add);
        }
        hc.put("NetworkMode", o.network == null || o.network.isEmpty() ? "default" : o.network);
        if (!bindings.isEmpty()) {
            ObjectNode pb = hc.putObject("PortBindings");
            bindings.forEach((port, list) -> list.forEach(pb.withArray(port)::add));
        }
        if (restart != null) {
            hc.set("RestartPolicy", restart);
        }
        hc.put("AutoRemove", o.rm);
        if (!o.capAdd.isEmpty()) {
            capabilities(o.capAdd).forEach(hc.putArray("CapAdd")::add);
        }
        if (!o.capDrop.isEmpty()) {
            capabilities(o.capDrop).forEach(hc.putArray("CapDrop")::add);
        }
        if (!o.dns.isEmpty()) {
            o.dns.forEach(hc.putArray("Dns")::add);
        }
        if (!extraHosts.isEmpty()) {
            extraHosts.forEach(hc.putArray("ExtraHosts")::add);
        }
        if (o.privileged) {
            hc.put("Privileged", true);
        }
        if (o.publishAll) {
            hc.put("PublishAllPorts", true);
        }
        if (o.readOnly) {
            hc.put("ReadonlyRootfs", true);
        }
        if (memory > 0) {
            hc.put("Memory", memory);
        }
        if (nanoCpus > 0) {
            hc.put("NanoCpus", nanoCpus);
        }
        if (o.pidsLimit != null) {
            hc.put("PidsLimit", intFlag("--pids-limit", o.pidsLimit));
        }
        if (!mounts.isEmpty()) {
            ArrayNode m = hc.putArray("Mounts");
            mounts.forEach(m::add);
        }
        if (!o.tmpfs.isEmpty()) {
            ObjectNode t = hc.putObject("Tmpfs");
            for (String spec : o.tmpfs) {
                int colon = spec.indexOf(':');
                t.put(colon < 0 ? spec : spec.substring(0, colon), colon < 0 ? "" : spec.substring(colon + 1));
            }
        }
        if (o.init) {
            hc.put("Init", true);
        }
        if (o.tty && consoleSize != null) {
            hc.putArray("ConsoleSize").add(consoleSize[0]).add(consoleSize[1]);
        }

        if (o.network != null && !o.network.isEmpty() && !o.networkAliases.isEmpty()) {
            ObjectNode endpoint = body.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject(o.network);
            o.networkAliases.forEach(endpoint.putArray("Aliases")::add);
        }
        return new Result(o.name, o.platform, image, pull, body);
    }

    /** docker's {@code opts.NormalizeCapabilities}: upper case, {@code CAP_} prefixed, {@code ALL} kept, duplicates dropped. */
    static List<String> capabilities(List<String> caps) {
        List<String> out = new ArrayList<>();
        for (String c : caps) {
            String cap = c.strip().toUpperCase(Locale.ROOT);
            if (cap.isEmpty()) {
                continue;
            }
            if (!cap.equals("ALL") && !cap.startsWith("CAP_")) {
                cap = "CAP_" + cap;
            }
            if (!out.contains(cap)) {
                out.add(cap);
            }
        }
        return out;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    static String validatePull(String pull) {
        return switch (pull == null ? "missing" : pull) {
            case "always", "missing", "never" -> pull == null ? "missing" : pull;
            default -> throw ConfigException.invalid("invalid pull option: '" + pull
                    + "': must be one of \"always\", \"missing\" or \"never\"");
        };
    }

    /** {@link Units#ramInBytes}, its error framed as pflag frames a refused flag value. */
    public static long ramInBytes(String flag, String value) {
        try {
            return Units.ramInBytes(value);
        } catch (IllegalArgumentException e) {
            throw ConfigException.flagValue(flag, value, e.getMessage());
        }
    }

    /** docker's {@code NanoCPUs}: a decimal number of CPUs, exact to the nanosecond. */
    public static long nanoCpus(String value) {
        BigDecimal cpus;
        try {
            cpus = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw ConfigException.flagValue("--cpus", value, "failed to parse " + value + " as a rational number");
        }
        BigDecimal nanos = cpus.multiply(BigDecimal.valueOf(1_000_000_000L));
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw ConfigException.flagValue("--cpus", value, "value is too precise");
        }
        return nanos.longValueExact();
    }

    /** {@code opts.ParseRestartPolicy}; the policy's name is the engine's to check. */
    public static ObjectNode restartPolicy(String policy) {
        int colon = policy.indexOf(':');
        String name = colon < 0 ? policy : policy.substring(0, colon);
        String count = colon < 0 ? "" : policy.substring(colon + 1);
        if (colon >= 0 && name.isEmpty()) {
            throw ConfigException.invalid("invalid restart policy format: no policy provided before colon");
        }
        ObjectNode p = Json.MAPPER.createObjectNode().put("Name", name);
        int retries = 0;
        if (!count.isEmpty()) {
            try {
                retries = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw ConfigException.invalid("invalid restart policy format: maximum retry count must be an integer");
            }
        }
        p.put("MaximumRetryCount", retries);
        return p;
    }

    /** {@code opts.ValidateExtraHost}: {@code host:ip} or {@code host=ip}, sent as {@code host:ip}. */
    static String extraHost(String value) {
        int eq = value.indexOf('=');
        int sep = eq >= 0 ? eq : value.indexOf(':');
        if (sep <= 0 || sep == value.length() - 1) {
            throw ConfigException.flagValue("--add-host", value, "bad format for add-host: \"" + value + "\"");
        }
        String host = value.substring(0, sep);
        String ip = value.substring(sep + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.equals("host-gateway") && !isIp(ip)) {
            throw ConfigException.flagValue("--add-host", value, "invalid IP address in add-host: \"" + ip + "\"");
        }
        return host + ":" + ip;
    }

    static boolean isIp(String s) {
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : s.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!s.contains(":") || s.contains("%")) {
            return false; // Go's net.ParseIP takes no zone
        }
        try {
            java.net.Inet6Address.ofLiteral(s); // parses only; never a name lookup
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String env(String value) {
        int eq = value.indexOf('=');
        String key = eq < 0 ? value : value.substring(0, eq);
        if (key.isEmpty()) {
            throw ConfigException.invalid("invalid environment variable: " + value);
        }
        if (eq >= 0) {
            return value;
        }
        String host = hostEnv.apply(key);
        return host == null ? value : key + "=" + host;
    }

    /** docker's {@code ParseEnvFile}: comments and blank lines skipped, bare names taken from the environment. */
    private List<String> envFile(String file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cwd.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ConfigException.invalid("open " + file + ": no such file or directory");
        }
        List<String> out = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.stripLeading();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            if (key.isEmpty()) {
                throw ConfigException.invalid("no variable name on line '" + line + "'");
            }
            if (!key.equals(key.strip()) || key.contains(" ") || key.contains("\t")) {
                throw ConfigException.invalid("variable '" + key.strip() + "' contains whitespaces");
            }
            if (eq >= 0) {
                out.add(line);
            } else {
                String host = hostEnv.apply(key);
                if (host != null) {
                    out.add(key + "=" + host);
                }
            }
        }
        return out;
    }

    /** docker's opts.go: --no-healthcheck, or the --health-* flags; null when none is given. */
    static ObjectNode healthcheck(ContainerOptions o) {
        boolean any = o.healthCmd != null || o.healthInterval != null || o.healthTimeout != null
                || o.healthStartPeriod != null || o.healthRetries != null;
        if (o.noHealthcheck) {
            if (any) {
                throw ConfigException.invalid("--no-healthcheck conflicts with --health-* options");
            }
            ObjectNode none = Json.MAPPER.createObjectNode();
            none.putArray("Test").add("NONE");
            return none;
        }
        if (!any) {
            return null;
        }
        ObjectNode h = Json.MAPPER.createObjectNode();
        if (o.healthCmd != null && !o.healthCmd.isEmpty()) {
            h.putArray("Test").add("CMD-SHELL").add(o.healthCmd);
        }
        h.put("Interval", nonNegativeNanos("--health-interval", o.healthInterval));
        h.put("Timeout", nonNegativeNanos("--health-timeout", o.healthTimeout));
        h.put("StartPeriod", nonNegativeNanos("--health-start-period", o.healthStartPeriod));
        int retries = o.healthRetries == null ? 0 : intFlag("--health-retries", o.healthRetries);
        if (retries < 0) {
            throw ConfigException.invalid("--health-retries cannot be negative");
        }
        h.put("Retries", retries);
        return h;
    }

    private static long nonNegativeNanos(String flag, String value) {
        if (value == null) {
            return 0;
        }
        java.time.Duration d;
        try {
            d = dev.berth.images.dockerfile.GoDuration.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw ConfigException.flagValue(flag, value, e.getMessage());
        }
        if (d.isNegative()) {
            throw ConfigException.invalid(flag + " cannot be negative");
        }
        return d.toNanos();
    }

    private static int intFlag(String flag, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ConfigException.flagValue(flag, value, "strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
        }
    }
}
