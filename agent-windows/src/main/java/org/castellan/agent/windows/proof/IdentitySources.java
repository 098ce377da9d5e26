package org.castellan.agent.windows.proof;

import java.util.Optional;

/** The raw Windows identity values; {@link JnaIdentitySources} reads them, tests fake them. */
public interface IdentitySources {
    /** {@code HKLM\SOFTWARE\Microsoft\Cryptography\MachineGuid}, set at installation. */
    Optional<String> machineGuid();

    /** SMBIOS system UUID ({@code Win32_ComputerSystemProduct.UUID}): new for most hypervisor clones. */
    Optional<String> smbiosUuid();
}
