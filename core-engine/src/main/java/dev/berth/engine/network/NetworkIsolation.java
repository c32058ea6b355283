package dev.berth.engine.network;

import dev.berth.errors.BerthException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps bridge networks apart the way Docker's DOCKER-ISOLATION-STAGE-1/2 chains do: a packet that
 * enters from one Berth bridge and leaves through another is dropped, while traffic inside a bridge
 * and traffic out to the rest of the world (NAT) pass. Without it the CNI firewall plugin accepts
 * any packet from a container's address, so containers on two user networks reach each other.
 *
 * <p>The chains are shared by every Berth daemon on the host (as Docker's are by its networks), so
 * a rule is only added when missing and removed only for the bridge being destroyed. The jump from
 * FORWARD must come before the firewall plugin's CNI-FORWARD jump, which the plugin inserts at the
 * top whenever it is missing, so {@link #isolate} re-checks the order after every attachment.
 */
public final class NetworkIsolation {
    public static final String STAGE1 = "BERTH-ISOLATION-STAGE-1";
    public static final String STAGE2 = "BERTH-ISOLATION-STAGE-2";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> JUMP = List.of("-j", STAGE1);

    private NetworkIsolation() {
    }

    /** Drops traffic between {@code bridge} and every other isolated bridge. Idempotent. */
    public static synchronized void isolate(String bridge) {
        ensureChain(STAGE1);
        ensureChain(STAGE2);
        ensureRule(STAGE1, List.of("-i", bridge, "!", "-o", bridge, "-j", STAGE2));
        ensureRule(STAGE2, List.of("-o", bridge, "-j", "DROP"));
        ensureFirstInForward();
    }

    /** Removes the bridge's rules (network rm); the chains stay, as Docker's do. Idempotent. */
    public static synchronized void release(String bridge) {
        deleteAll(STAGE1, List.of("-i", bridge, "!", "-o", bridge, "-j", STAGE2));
        deleteAll(STAGE2, List.of("-o", bridge, "-j", "DROP"));
    }

    private static void ensureChain(String chain) {
        if (iptables(List.of("-n", "-L", chain)).exitCode() != 0) {
            ProcessRunner.Output out = iptables(List.of("-N", chain));
            if (out.exitCode() != 0 && iptables(List.of("-n", "-L", chain)).exitCode() != 0) {
                throw BerthException.system("cannot create iptables chain " + chain + ": " + out.stderr().strip(), null);
            }
        }
    }

    private static void ensureRule(String chain, List<String> rule) {
        if (iptables(concat("-C", chain, rule)).exitCode() == 0) {
            return;
        }
        ProcessRunner.Output out = iptables(concat("-A", chain, rule));
        if (out.exitCode() != 0) {
            throw BerthException.system("cannot add iptables rule to " + chain + ": " + out.stderr().strip(), null);
        }
    }

    private static void ensureFirstInForward() {
        ProcessRunner.Output list = iptables(List.of("-S", "FORWARD"));
        if (list.exitCode() != 0) {
            throw BerthException.system("cannot list the FORWARD chain: " + list.stderr().strip(), null);
        }
        String first = list.stdout().lines().filter(l -> l.startsWith("-A FORWARD ")).findFirst().orElse("");
        if (first.equals("-A FORWARD -j " + STAGE1)) {
            return;
        }
        deleteAll("FORWARD", JUMP);
        ProcessRunner.Output out = iptables(concat("-I", "FORWARD", List.of("1", "-j", STAGE1)));
        if (out.exitCode() != 0) {
            throw BerthException.system("cannot insert the isolation jump into FORWARD: " + out.stderr().strip(), null);
        }
    }

    private static void deleteAll(String chain, List<String> rule) {
        // A rule added twice by racing daemons needs two deletes; the bound stops a runaway loop.
        for (int i = 0; i < 16 && iptables(concat("-D", chain, rule)).exitCode() == 0; i++) {
            // deleted one copy
        }
    }

    private static List<String> concat(String op, String chain, List<String> rule) {
        List<String> out = new ArrayList<>(List.of(op, chain));
        out.addAll(rule);
        return out;
    }

    private static ProcessRunner.Output iptables(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "10", "-t", "filter"));
        cmd.addAll(args);
        return ProcessRunner.run(cmd, null, null, TIMEOUT);
    }
}
