package org.castellan.agent.windows.proof;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.castellan.agent.identity.IdentityValues;
import org.castellan.agent.spi.MachineIdentity;

/**
 * Windows machine identity: the installation's MachineGuid and the SMBIOS system UUID. A VM
 * cloned by its hypervisor gets a new SMBIOS UUID; an image deployed with sysprep a new install.
 */
public final class WindowsMachineIdentity implements Supplier<MachineIdentity> {
    static final String MACHINE_GUID = "MachineGuid";
    static final String SMBIOS_UUID = "smbios-uuid";

    private final IdentitySources sources;

    public WindowsMachineIdentity(IdentitySources sources) {
        this.sources = sources;
    }

    @Override
    public MachineIdentity get() {
        Map<String, String> values = new LinkedHashMap<>();
        sources.machineGuid().flatMap(IdentityValues::uuid).ifPresent(v -> values.put(MACHINE_GUID, v));
        sources.smbiosUuid().flatMap(IdentityValues::uuid).ifPresent(v -> values.put(SMBIOS_UUID, v));
        return new MachineIdentity(values);
    }
}
