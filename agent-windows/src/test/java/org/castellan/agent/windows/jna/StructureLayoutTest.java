package org.castellan.agent.windows.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Winsvc;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The structures' sizes, field order and offsets as the 64-bit Windows headers define them.
 * Building a Structure needs no Windows: only the layout is computed, no function is called.
 */
class StructureLayoutTest {
    @BeforeEach
    void sixtyFourBit() {
        assumeTrue(Native.POINTER_SIZE == 8, "layouts below are those of 64-bit Windows");
    }

    // getFieldOrder() and fieldOffset() are protected: reach them reflectively.
    @SuppressWarnings("unchecked")
    static List<String> order(Structure s) {
        return (List<String>) invoke(s, "getFieldOrder");
    }

    static int offset(Structure s, String field) {
        return (Integer) invoke(s, "fieldOffset", field);
    }

    private static Object invoke(Structure s, String method, String... args) {
        try {
            Method m = args.length == 0 ? Structure.class.getDeclaredMethod(method)
                    : Structure.class.getDeclaredMethod(method, String.class);
            m.setAccessible(true);
            return m.invoke(s, (Object[]) args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void userInfo1003IsOnePointer() {
        UserInfo1003 s = new UserInfo1003();
        assertThat(order(s)).containsExactly("usri1003_password");
        assertThat(s.size()).isEqualTo(8);
        assertThat(offset(s, "usri1003_password")).isZero();
    }

    @Test
    void userInfo1008IsOneDword() {
        UserInfo1008 s = new UserInfo1008();
        assertThat(order(s)).containsExactly("usri1008_flags");
        assertThat(s.size()).isEqualTo(4);
    }

    @Test
    void userInfo1MatchesLmaccessH() {
        UserInfo1 s = new UserInfo1();
        assertThat(order(s)).containsExactly("usri1_name", "usri1_password", "usri1_password_age", "usri1_priv",
                "usri1_home_dir", "usri1_comment", "usri1_flags", "usri1_script_path");
        assertThat(offset(s, "usri1_password")).isEqualTo(8);
        assertThat(offset(s, "usri1_password_age")).isEqualTo(16);
        assertThat(offset(s, "usri1_priv")).isEqualTo(20);
        assertThat(offset(s, "usri1_home_dir")).isEqualTo(24);
        assertThat(offset(s, "usri1_comment")).isEqualTo(32);
        assertThat(offset(s, "usri1_flags")).isEqualTo(40);
        assertThat(offset(s, "usri1_script_path")).isEqualTo(48); // after 4 bytes of padding
        assertThat(s.size()).isEqualTo(56);
        // Same layout as jna-platform's own USER_INFO_1 (which NetUserGetInfo reads).
        assertThat(s.size()).isEqualTo(new com.sun.jna.platform.win32.LMAccess.USER_INFO_1().size());
    }

    @Test
    void localGroupMembersInfosArePointers() {
        LocalGroupMembersInfo0 zero = new LocalGroupMembersInfo0();
        LocalGroupMembersInfo3 three = new LocalGroupMembersInfo3();
        assertThat(order(zero)).containsExactly("lgrmi0_sid");
        assertThat(order(three)).containsExactly("lgrmi3_domainandname");
        assertThat(zero.size()).isEqualTo(8);
        assertThat(three.size()).isEqualTo(8);
    }

    @Test
    void serverInfo101MatchesLmserverH() {
        ServerInfo101 s = new ServerInfo101();
        assertThat(offset(s, "sv101_name")).isEqualTo(8);
        assertThat(offset(s, "sv101_version_major")).isEqualTo(16);
        assertThat(offset(s, "sv101_type")).isEqualTo(24);
        assertThat(offset(s, "sv101_comment")).isEqualTo(32);
        assertThat(s.size()).isEqualTo(40);
        assertThat(ServerInfo101.SV_TYPE_DOMAIN_CTRL).isEqualTo(0x8);
        assertThat(ServerInfo101.SV_TYPE_DOMAIN_BAKCTRL).isEqualTo(0x10);
    }

    @Test
    void lsaStructuresMatchNtsecapiH() {
        LsaObjectAttributes attributes = new LsaObjectAttributes();
        assertThat(attributes.size()).isEqualTo(48);
        assertThat(attributes.Length).isEqualTo(48);
        assertThat(offset(attributes, "Attributes")).isEqualTo(24);

        PolicyAccountDomainInfo info = new PolicyAccountDomainInfo();
        assertThat(offset(info, "DomainSid")).isEqualTo(16);
        assertThat(info.size()).isEqualTo(24);
    }

    @Test
    void serviceStatusIsSevenDwords() {
        Winsvc.SERVICE_STATUS s = new Winsvc.SERVICE_STATUS();
        assertThat(order(s)).containsExactly("dwServiceType", "dwCurrentState", "dwControlsAccepted",
                "dwWin32ExitCode", "dwServiceSpecificExitCode", "dwCheckPoint", "dwWaitHint");
        assertThat(s.size()).isEqualTo(28);
    }

    @Test
    void serviceFailureActionsMatchWinsvcH() {
        Winsvc.SERVICE_FAILURE_ACTIONS s = new Winsvc.SERVICE_FAILURE_ACTIONS();
        assertThat(s.size()).isEqualTo(40);
        assertThat(offset(s, "cActions")).isEqualTo(24);
        assertThat(offset(s, "lpsaActions")).isEqualTo(32);
        assertThat(new Winsvc.SC_ACTION().size()).isEqualTo(8);
    }
}
