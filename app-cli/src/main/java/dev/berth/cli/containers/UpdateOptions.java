package dev.berth.cli.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Opt;
import dev.berth.engine.client.run.ConfigException;
import dev.berth.engine.client.run.ContainerConfigBuilder;
import dev.berth.images.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of {@code berth update} as docker's {@code updateOptions} has them, turned into the
 * {@code POST /containers/{id}/update} body (Resources fields plus RestartPolicy). Values are parsed
 * the way pflag parses docker's flag types, so a bad one is refused with docker's words.
 */
public final class UpdateOptions {
    public static final List<Opt> OPTIONS = List.of(
            Opt.value("blkio-weight", "uint16", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"),
            Opt.value("cpu-period", "int", "Limit CPU CFS (Completely Fair Scheduler) period"),
            Opt.value("cpu-quota", "int", "Limit CPU CFS (Completely Fair Scheduler) quota"),
            Opt.value("cpu-rt-period", "int", "Limit the CPU real-time period in microseconds"),
            Opt.value("cpu-rt-runtime", "int", "Limit the CPU real-time runtime in microseconds"),
            Opt.value('c', "cpu-shares", "int", "CPU shares (relative weight)"),
            Opt.value("cpus", "decimal", "Number of CPUs"),
            Opt.value("cpuset-cpus", "string", "CPUs in which to allow execution (0-3, 0,1)"),
            Opt.value("cpuset-mems", "string", "MEMs in which to allow execution (0-3, 0,1)"),
            Opt.value('m', "memory", "bytes", "Memory limit"),
            Opt.value("memory-reservation", "bytes", "Memory soft limit"),
            Opt.value("memory-swap", "bytes", "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
            Opt.value("pids-limit", "int", "Tune container pids limit (set -1 for unlimited)"),
            Opt.value("restart", "string", "Restart policy to apply when a container exits"));

    private final Map<String, String> given = new LinkedHashMap<>();

    public void flag(String name, String value) {
        if (OPTIONS.stream().noneMatch(o -> o.longName().equals(name))) {
            throw new IllegalArgumentException(name);
        }
        given.put(name, value);
    }

    /** docker's {@code nFlag == 0} check. */
    public boolean none() {
        return given.isEmpty();
    }

    /** The update body; {@link ConfigException} for a value docker's flag parsing or ParseRestartPolicy refuses. */
    public ObjectNode body() {
        ObjectNode b = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "blkio-weight" -> b.put("BlkioWeight", uint16(v));
                case "cpu-period" -> b.put("CpuPeriod", int64("--cpu-period", v));
                case "cpu-quota" -> b.put("CpuQuota", int64("--cpu-quota", v));
                case "cpu-rt-period" -> b.put("CpuRealtimePeriod", int64("--cpu-rt-period", v));
                case "cpu-rt-runtime" -> b.put("CpuRealtimeRuntime", int64("--cpu-rt-runtime", v));
                case "cpu-shares" -> b.put("CpuShares", int64("-c, --cpu-shares", v));
                case "cpus" -> b.put("NanoCpus", ContainerConfigBuilder.nanoCpus(v));
                case "cpuset-cpus" -> b.put("CpusetCpus", v);
                case "cpuset-mems" -> b.put("CpusetMems", v);
                case "memory" -> b.put("Memory", ContainerConfigBuilder.ramInBytes("-m, --memory", v));
                case "memory-reservation" -> b.put("MemoryReservation", ContainerConfigBuilder.ramInBytes("--memory-reservation", v));
                case "memory-swap" -> b.put("MemorySwap", v.equals("-1") ? -1 : ContainerConfigBuilder.ramInBytes("--memory-swap", v));
                case "pids-limit" -> b.put("PidsLimit", int64("--pids-limit", v));
                case "restart" -> {
                    if (!v.isEmpty()) {
                        b.set("RestartPolicy", ContainerConfigBuilder.restartPolicy(v));
                    }
                }
                default -> throw new IllegalStateException(e.getKey());
            }
        }
        return b;
    }

    private static long int64(String flag, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw ConfigException.flagValue(flag, v, "strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
        }
    }

    private static int uint16(String v) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 0 && n <= 0xffff) {
                return n;
            }
        } catch (NumberFormatException e) {
            // worded below, as pflag does
        }
        throw ConfigException.flagValue("--blkio-weight", v, "strconv.ParseUint: parsing \"" + v + "\": invalid syntax");
    }
}
