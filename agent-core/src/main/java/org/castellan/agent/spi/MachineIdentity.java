package org.castellan.agent.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * What identifies this machine, source by source ({@code machine-id}, {@code product_uuid},
 * {@code MachineGuid}, {@code IOPlatformUUID}, ...). agent-core records a digest of each source at
 * registration and compares later, so that a state directory copied to another machine (a cloned
 * VM, a restored image) is caught before it rotates with the copied identity.
 *
 * @param sources source name to raw value; a source that cannot be read is left out
 */
public record MachineIdentity(Map<String, String> sources) {
    public static final MachineIdentity UNKNOWN = new MachineIdentity(Map.of());

    public MachineIdentity {
        sources = Map.copyOf(new TreeMap<>(sources));
    }

    @Override
    public String toString() {
        return "MachineIdentity" + sources.keySet(); // the values are kept out of logs
    }
}
