package dev.berth.engine.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The iptables chains the CNI plugins create, and removing the ones a test created. Needs root. */
public final class CniChains {
    private CniChains() {
    }

    public static String iptables(String table) {
        return Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-t", table, "-S").assertOk().stdout();
    }

    public static Set<String> chains(String table) {
        Set<String> out = new HashSet<>();
        for (String line : iptables(table).split("\n")) {
            if (line.startsWith("-N ")) {
                out.add(line.substring(3).strip());
            }
        }
        return out;
    }

    /**
     * The plugins leave their shared chains (CNI-HOSTPORT-*, CNI-FORWARD, CNI-ADMIN) behind by
     * design. Remove the ones this test created, but only while no other container (another test
     * run, a real daemon) has rules in them.
     */
    public static void removeCreated(String table, Set<String> before) {
        Set<String> created = chains(table);
        created.removeAll(before);
        created.removeIf(c -> !c.startsWith("CNI-"));
        if (created.isEmpty()) {
            return;
        }
        for (String chain : created) {
            List<String> rules = rulesOf(table, chain);
            boolean inUse = chain.equals("CNI-FORWARD")
                    ? rules.stream().anyMatch(r -> !r.contains("-j CNI-ADMIN"))
                    : chain.startsWith("CNI-HOSTPORT-DNAT") || chain.equals("CNI-ADMIN") ? !rules.isEmpty() : false;
            if (inUse) {
                return;
            }
        }
        for (String line : iptables(table).split("\n")) {
            if (!line.startsWith("-A ")) {
                continue;
            }
            List<String> words = words(line);
            int j = words.indexOf("-j");
            if (j > 0 && j + 1 < words.size() && created.contains(words.get(j + 1)) && !created.contains(words.get(1))) {
                List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "10", "-t", table, "-D"));
                cmd.addAll(words.subList(1, words.size()));
                Processes.run(Map.of(), null, 30, cmd.toArray(String[]::new));
            }
        }
        for (String chain : created) {
            Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-t", table, "-F", chain);
        }
        for (String chain : created) {
            Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-t", table, "-X", chain);
        }
    }

    private static List<String> rulesOf(String table, String chain) {
        return Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-t", table, "-S", chain).stdout()
                .lines().filter(l -> l.startsWith("-A ")).toList();
    }

    /** Splits an {@code iptables -S} line the way a shell would, keeping quoted comments whole. */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any || !cur.isEmpty()) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
            }
        }
        if (any || !cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }
}
