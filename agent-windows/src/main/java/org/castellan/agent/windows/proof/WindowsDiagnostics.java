package org.castellan.agent.windows.proof;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.MachineIdentity;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.account.LocalAccounts;

/**
 * Windows's part of {@code diagnose}: every native function the agent binds is exported by its
 * DLL (found without calling it), the machine is not a domain controller, the identity sources
 * are readable, and the state directory exists.
 */
public final class WindowsDiagnostics {
    /** Each DLL and the exports the agent calls, with W suffixes where JNA's unicode mapping adds one. */
    static final Map<String, List<String>> FUNCTIONS = functions();

    private final NativeFunctions natives;
    private final LocalAccounts accounts;
    private final java.util.function.Supplier<MachineIdentity> identity;

    public WindowsDiagnostics(NativeFunctions natives, LocalAccounts accounts,
                              java.util.function.Supplier<MachineIdentity> identity) {
        this.natives = natives;
        this.accounts = accounts;
        this.identity = identity;
    }

    private static Map<String, List<String>> functions() {
        Map<String, List<String>> functions = new LinkedHashMap<>();
        functions.put("Netapi32", List.of("NetUserGetInfo", "NetUserSetInfo", "NetUserAdd", "NetUserDel",
                "NetLocalGroupAddMembers", "NetLocalGroupDelMembers", "NetServerGetInfo", "NetApiBufferFree"));
        functions.put("Advapi32", List.of("LogonUserW", "LookupAccountSidW", "LookupAccountNameW", "LsaOpenPolicy",
                "LsaQueryInformationPolicy", "LsaFreeMemory", "LsaClose", "LsaNtStatusToWinError", "OpenSCManagerW",
                "CreateServiceW", "ChangeServiceConfig2W", "RegOpenKeyExW"));
        functions.put("Crypt32", List.of("CryptProtectData", "CryptUnprotectData"));
        return Map.copyOf(functions);
    }

    public List<DiagnosticCheck> checks(Path stateDir) {
        List<DiagnosticCheck> checks = new ArrayList<>();
        for (String library : List.of("Netapi32", "Advapi32", "Crypt32")) {
            checks.add(exports(library, FUNCTIONS.get(library)));
        }
        try {
            checks.add(accounts.isDomainController()
                    ? DiagnosticCheck.fail("domain-controller", "this machine is a domain controller: it has no local accounts to manage")
                    : DiagnosticCheck.ok("domain-controller", "not a domain controller (NetServerGetInfo 101)"));
        } catch (PlatformException e) {
            checks.add(DiagnosticCheck.fail("domain-controller", e.code() + ": " + e.getMessage()));
        }
        MachineIdentity sources = identity.get();
        checks.add(sources.sources().isEmpty()
                ? DiagnosticCheck.warn("machine-identity-sources", "neither MachineGuid nor the SMBIOS UUID is readable")
                : DiagnosticCheck.ok("machine-identity-sources", String.join(", ", sources.sources().keySet())));
        checks.add(Files.isDirectory(stateDir)
                ? DiagnosticCheck.ok("state-dir-permissions", stateDir + " exists; its ACL is reset to SYSTEM and"
                        + " Administrators at every registration and install-service")
                : DiagnosticCheck.warn("state-dir-permissions", stateDir + " does not exist yet (created at registration)"));
        return checks;
    }

    private DiagnosticCheck exports(String library, List<String> functions) {
        String name = library.toLowerCase(java.util.Locale.ROOT) + ".dll";
        List<String> missing = new ArrayList<>();
        try {
            for (String function : functions) {
                if (!natives.exports(library, function)) {
                    missing.add(function);
                }
            }
        } catch (UnsatisfiedLinkError e) {
            return DiagnosticCheck.fail(name, "cannot be loaded: " + e.getMessage());
        }
        return missing.isEmpty()
                ? DiagnosticCheck.ok(name, "exports all " + functions.size() + " functions the agent calls")
                : DiagnosticCheck.fail(name, "does not export " + String.join(", ", missing));
    }
}
