package dev.berth.cli.commands;

import dev.berth.engine.format.Units;
import dev.berth.cli.Cli;
import dev.berth.cli.UsageError;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.GoTemplate;
import dev.berth.errors.BerthException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code berth info} / {@code berth system info}: docker's layout of {@code GET /info}. */
public final class InfoCommand extends FormatOnlyCommand {
    @Override
    @SuppressWarnings("unchecked")
    public int run() throws Exception {
        noArgs(args);
        Map<String, Object> info = null;
        String serverError = null;
        try {
            info = (Map<String, Object>) GoJson.parse(cli.client().infoRaw());
        } catch (BerthException e) {
            serverError = e.getMessage();
        }
        Map<String, Object> clientInfo = new LinkedHashMap<>();
        clientInfo.put("Debug", cli.debug());
        clientInfo.put("Version", Cli.VERSION);
        clientInfo.put("Context", "default");
        if (format != null && !format.isEmpty()) {
            Map<String, Object> data = new LinkedHashMap<>();
            if (info != null) {
                data.putAll(info);
            }
            data.put("ClientInfo", clientInfo);
            data.put("ServerErrors", serverError == null ? null : List.of(serverError));
            String f = format.equals("json") ? "{{json .}}" : format;
            out().println(template(f, data, GoTemplate.Options.DEFAULT, 64));
            if (serverError != null) {
                throw new UsageError(serverError, 1);
            }
            return 0;
        }
        PrintStream o = out();
        o.println("Client:");
        o.println(" Version:    " + Cli.VERSION);
        o.println(" Context:    default");
        o.println(" Debug Mode: " + cli.debug());
        o.println();
        o.println("Server:");
        if (info == null) {
            o.flush();
            err().println("ERROR: " + serverError);
            throw new UsageError("errors pretty printing info", 1);
        }
        printServer(o, info);
        if (info.get("Warnings") instanceof List<?> warnings) {
            for (Object w : warnings) {
                err().println(w);
            }
        }
        return 0;
    }

    static void printServer(PrintStream o, Map<String, Object> info) {
        o.println(" Containers: " + num(info.get("Containers")));
        o.println("  Running: " + num(info.get("ContainersRunning")));
        o.println("  Paused: " + num(info.get("ContainersPaused")));
        o.println("  Stopped: " + num(info.get("ContainersStopped")));
        o.println(" Images: " + num(info.get("Images")));
        nonEmpty(o, " Server Version:", info.get("ServerVersion"));
        nonEmpty(o, " Storage Driver:", info.get("Driver"));
        pairs(o, "  ", info.get("DriverStatus"));
        pairs(o, " ", info.get("SystemStatus"));
        nonEmpty(o, " Logging Driver:", info.get("LoggingDriver"));
        nonEmpty(o, " Cgroup Driver:", info.get("CgroupDriver"));
        nonEmpty(o, " Cgroup Version:", info.get("CgroupVersion"));
        Map<?, ?> plugins = info.get("Plugins") instanceof Map<?, ?> p ? p : Map.of();
        o.println(" Plugins:");
        o.println("  Volume: " + joined(plugins.get("Volume")));
        o.println("  Network: " + joined(plugins.get("Network")));
        if (plugins.get("Authorization") instanceof List<?> a && !a.isEmpty()) {
            o.println("  Authorization: " + joined(a));
        }
        o.println("  Log: " + joined(plugins.get("Log")));
        Object swarm = info.get("Swarm") instanceof Map<?, ?> s ? s.get("LocalNodeState") : null;
        o.println(" Swarm: " + (swarm == null ? "" : swarm));
        if (info.get("Runtimes") instanceof Map<?, ?> runtimes && !runtimes.isEmpty()) {
            o.println(" Runtimes: " + String.join(" ", new TreeSet<>(runtimes.keySet().stream().map(String::valueOf).toList())));
            o.println(" Default Runtime: " + str(info.get("DefaultRuntime")));
        }
        if ("linux".equals(info.get("OSType"))) {
            o.println(" Init Binary: " + str(info.get("InitBinary")));
            o.println(" containerd version: " + commit(info.get("ContainerdCommit")));
            o.println(" runc version: " + commit(info.get("RuncCommit")));
            o.println(" init version: " + commit(info.get("InitCommit")));
            if (info.get("SecurityOptions") instanceof List<?> opts && !opts.isEmpty()) {
                o.println(" Security Options:");
                for (Object opt : opts) {
                    // name=seccomp,profile=builtin
                    String name = null;
                    String profile = null;
                    for (String kv : String.valueOf(opt).split(",")) {
                        int eq = kv.indexOf('=');
                        String k = eq < 0 ? kv : kv.substring(0, eq);
                        String v = eq < 0 ? "" : kv.substring(eq + 1);
                        if (k.equals("name")) {
                            name = v;
                        } else if (k.equals("profile")) {
                            profile = v;
                        }
                    }
                    o.println("  " + (name == null ? opt : name));
                    if (profile != null) {
                        o.println("   Profile: " + profile);
                    }
                }
            }
        }
        nonEmpty(o, " Kernel Version:", info.get("KernelVersion"));
        nonEmpty(o, " Operating System:", info.get("OperatingSystem"));
        nonEmpty(o, " OSType:", info.get("OSType"));
        nonEmpty(o, " Architecture:", info.get("Architecture"));
        o.println(" CPUs: " + num(info.get("NCPU")));
        o.println(" Total Memory: " + Units.bytesSize(info.get("MemTotal") instanceof Number n ? n.doubleValue() : 0));
        nonEmpty(o, " Name:", info.get("Name"));
        nonEmpty(o, " ID:", info.get("ID"));
        o.println(" Docker Root Dir: " + str(info.get("DockerRootDir")));
        o.println(" Debug Mode: " + Boolean.TRUE.equals(info.get("Debug")));
        nonEmpty(o, " HTTP Proxy:", info.get("HttpProxy"));
        nonEmpty(o, " HTTPS Proxy:", info.get("HttpsProxy"));
        nonEmpty(o, " No Proxy:", info.get("NoProxy"));
        if (info.get("Labels") instanceof List<?> labels && !labels.isEmpty()) {
            o.println(" Labels:");
            labels.forEach(l -> o.println("  " + l));
        }
        o.println(" Experimental: " + Boolean.TRUE.equals(info.get("ExperimentalBuild")));
        if (info.get("RegistryConfig") instanceof Map<?, ?> rc) {
            List<String> insecure = new ArrayList<>();
            if (rc.get("IndexConfigs") instanceof Map<?, ?> indexes) {
                for (Object v : indexes.values()) {
                    if (v instanceof Map<?, ?> idx && Boolean.FALSE.equals(idx.get("Secure"))) {
                        insecure.add(str(idx.get("Name")));
                    }
                }
            }
            if (rc.get("InsecureRegistryCIDRs") instanceof List<?> cidrs) {
                cidrs.forEach(c -> insecure.add(String.valueOf(c)));
            }
            if (!insecure.isEmpty()) {
                o.println(" Insecure Registries:");
                insecure.forEach(i -> o.println("  " + i));
            }
            if (rc.get("Mirrors") instanceof List<?> mirrors && !mirrors.isEmpty()) {
                o.println(" Registry Mirrors:");
                mirrors.forEach(m -> o.println("  " + m));
            }
        }
        o.println(" Live Restore Enabled: " + Boolean.TRUE.equals(info.get("LiveRestoreEnabled")));
        o.println();
    }

    private static void nonEmpty(PrintStream o, String label, Object value) {
        String s = str(value);
        if (!s.isEmpty()) {
            o.println(label + " " + s);
        }
    }

    private static void pairs(PrintStream o, String indent, Object value) {
        if (value instanceof List<?> list) {
            for (Object pair : list) {
                if (pair instanceof List<?> kv && kv.size() >= 2) {
                    o.println(indent + kv.get(0) + ": " + kv.get(1));
                }
            }
        }
    }

    private static String joined(Object list) {
        if (list instanceof List<?> l) {
            return String.join(" ", l.stream().map(String::valueOf).toList());
        }
        return "";
    }

    private static String commit(Object c) {
        return c instanceof Map<?, ?> m ? str(m.get("ID")) : "";
    }

    private static String num(Object n) {
        return n == null ? "0" : GoTemplate.print(n);
    }

    private static String str(Object s) {
        return s == null ? "" : GoTemplate.print(s);
    }
}
