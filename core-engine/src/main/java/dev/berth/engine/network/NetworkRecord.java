package dev.berth.engine.network;

import java.time.Instant;
import java.util.Map;

/**
 * A user-defined bridge network as the catalog keeps it: what {@code docker network create} asked
 * for, with the subnet and gateway resolved (from the request or the default pool) and the bridge
 * device named, so the CNI configuration is the same after every daemon restart.
 *
 * @param ipRange  null when containers may take any address of the subnet
 * @param internal no outbound NAT and no default route, as Docker's {@code --internal}
 */
public record NetworkRecord(String id, String name, String driver, Instant created, String subnet, String gateway,
                            String ipRange, String bridge, boolean internal, Map<String, String> labels,
                            Map<String, String> options) {
    public NetworkRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** The CNI network name: by id, so a network re-created under an old name never sees its leases. */
    public String cniName() {
        return "berth-" + id.substring(0, 12);
    }
}
