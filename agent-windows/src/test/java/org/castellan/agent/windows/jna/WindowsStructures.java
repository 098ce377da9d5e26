package org.castellan.agent.windows.jna;

import com.sun.jna.Structure;
import com.sun.jna.platform.win32.LMAccess;
import com.sun.jna.platform.win32.NTSecApi;
import com.sun.jna.platform.win32.WinCrypt;
import com.sun.jna.platform.win32.Winsvc;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every structure agent-windows hands to or reads from Windows, with the C type and field names
 * of the Windows headers, in the JNA field order. A new structure in the module belongs here
 * ({@code StructureCoverageTest} fails otherwise).
 */
final class WindowsStructures {
    record Entry(Supplier<Structure> instance, String cType, List<String> cFields) {
        Structure create() {
            return instance.get();
        }
    }

    private WindowsStructures() {}

    static final List<Entry> ALL = List.of(
            new Entry(UserInfo1::new, "USER_INFO_1", List.of("usri1_name", "usri1_password", "usri1_password_age",
                    "usri1_priv", "usri1_home_dir", "usri1_comment", "usri1_flags", "usri1_script_path")),
            new Entry(UserInfo1003::new, "USER_INFO_1003", List.of("usri1003_password")),
            new Entry(UserInfo1008::new, "USER_INFO_1008", List.of("usri1008_flags")),
            new Entry(LocalGroupMembersInfo0::new, "LOCALGROUP_MEMBERS_INFO_0", List.of("lgrmi0_sid")),
            new Entry(LocalGroupMembersInfo3::new, "LOCALGROUP_MEMBERS_INFO_3", List.of("lgrmi3_domainandname")),
            new Entry(ServerInfo101::new, "SERVER_INFO_101", List.of("sv101_platform_id", "sv101_name",
                    "sv101_version_major", "sv101_version_minor", "sv101_type", "sv101_comment")),
            new Entry(LsaObjectAttributes::new, "LSA_OBJECT_ATTRIBUTES", List.of("Length", "RootDirectory",
                    "ObjectName", "Attributes", "SecurityDescriptor", "SecurityQualityOfService")),
            new Entry(PolicyAccountDomainInfo::new, "POLICY_ACCOUNT_DOMAIN_INFO", List.of("DomainName", "DomainSid")),
            // jna-platform's own structures that the module passes to Windows.
            new Entry(LMAccess.USER_INFO_1::new, "USER_INFO_1", List.of("usri1_name", "usri1_password",
                    "usri1_password_age", "usri1_priv", "usri1_home_dir", "usri1_comment", "usri1_flags", "usri1_script_path")),
            new Entry(NTSecApi.LSA_UNICODE_STRING::new, "LSA_UNICODE_STRING", List.of("Length", "MaximumLength", "Buffer")),
            new Entry(Winsvc.SERVICE_STATUS::new, "SERVICE_STATUS", List.of("dwServiceType", "dwCurrentState",
                    "dwControlsAccepted", "dwWin32ExitCode", "dwServiceSpecificExitCode", "dwCheckPoint", "dwWaitHint")),
            new Entry(Winsvc.SERVICE_STATUS_PROCESS::new, "SERVICE_STATUS_PROCESS", List.of("dwServiceType",
                    "dwCurrentState", "dwControlsAccepted", "dwWin32ExitCode", "dwServiceSpecificExitCode", "dwCheckPoint",
                    "dwWaitHint", "dwProcessId", "dwServiceFlags")),
            new Entry(Winsvc.SERVICE_FAILURE_ACTIONS::new, "SERVICE_FAILURE_ACTIONSW", List.of("dwResetPeriod",
                    "lpRebootMsg", "lpCommand", "cActions", "lpsaActions")),
            new Entry(Winsvc.SC_ACTION::new, "SC_ACTION", List.of("Type", "Delay")),
            new Entry(Winsvc.SERVICE_DESCRIPTION::new, "SERVICE_DESCRIPTIONW", List.of("lpDescription")),
            new Entry(Winsvc.SERVICE_TABLE_ENTRY::new, "SERVICE_TABLE_ENTRYW", List.of("lpServiceName", "lpServiceProc")),
            new Entry(WinCrypt.DATA_BLOB::new, "DATA_BLOB", List.of("cbData", "pbData")));
}
