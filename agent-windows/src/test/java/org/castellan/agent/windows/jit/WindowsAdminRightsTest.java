package org.castellan.agent.windows.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.castellan.agent.jit.JitGrants;
import org.castellan.agent.jit.JitStore;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.windows.account.NetApiStatus;
import org.castellan.protocol.messages.JitGrant;
import org.castellan.protocol.messages.JitReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Just-in-time admin rights on Windows against the hand-written group (the JNA calls are not run here). */
class WindowsAdminRightsTest {
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    FakeAdministratorsGroup group = new FakeAdministratorsGroup();
    MovableClock clock = new MovableClock();

    private JitGrants grants(Path tmp) throws Exception {
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();
        return new JitGrants(new JitStore(dir), new WindowsAdminRights(group), clock);
    }

    @Test
    void aGrantAddsTheUserBySidToTheGroupFoundBySidAndItsEndRemovesIt(@TempDir Path tmp) throws Exception {
        JitGrants jit = grants(tmp);
        Instant end = clock.now.plusSeconds(7200);

        jit.apply(List.of(new JitGrant("g1", "ann", end)));

        assertThat(group.members).contains("S-1-5-21-1-2-3-1001");
        assertThat(group.calls).contains("LookupAccountSid S-1-5-32-544",
                "NetLocalGroupAddMembers Administratoren S-1-5-21-1-2-3-1001");
        clock.now = end;
        grants(tmp).sweep(); // after a restart: the end came from the state dir
        assertThat(group.members).containsExactly("S-1-5-21-1-2-3-500");
        assertThat(group.calls).last().isEqualTo("NetLocalGroupDelMembers Administratoren S-1-5-21-1-2-3-1001");
        assertThat(jit.unsent()).extracting(JitReport::state).containsExactly("granted", "expired");
    }

    @Test
    void aDomainUserIsGrantedAndRevokedEarlyWhenTheServerStopsListingIt(@TempDir Path tmp) throws Exception {
        JitGrants jit = grants(tmp);
        jit.apply(List.of(new JitGrant("g1", "CORP\\bob", clock.now.plusSeconds(600))));
        assertThat(group.members).contains("S-1-5-21-9-9-9-1105");

        jit.apply(List.of());

        assertThat(group.members).doesNotContain("S-1-5-21-9-9-9-1105");
        assertThat(jit.unsent()).extracting(JitReport::state).containsExactly("granted", "revoked");
    }

    @Test
    void aUserWhoAlreadyWasAMemberStaysOneAtTheEnd(@TempDir Path tmp) throws Exception {
        group.members.add("S-1-5-21-1-2-3-1001");
        JitGrants jit = grants(tmp);
        jit.apply(List.of(new JitGrant("g1", "ann", clock.now.plusSeconds(60))));
        clock.now = clock.now.plusSeconds(61);

        jit.sweep();

        assertThat(group.members).contains("S-1-5-21-1-2-3-1001");
        assertThat(group.calls).noneMatch(c -> c.startsWith("NetLocalGroupDelMembers"));
    }

    @Test
    void refusalsAreNamedAndGrantNothing() {
        WindowsAdminRights rights = new WindowsAdminRights(group);
        group.addStatus = NetApiStatus.ERROR_ACCESS_DENIED;
        assertThatThrownBy(() -> rights.grant("ann", Instant.MAX)).isInstanceOf(PlatformException.class)
                .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo("access-denied"));
        group.addStatus = null;
        assertThatThrownBy(() -> rights.grant("nobody", Instant.MAX))
                .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo("account-missing"));
        for (String bad : new String[] {"a\"b", "a:b", "x\ny", "", "a*"}) {
            assertThatThrownBy(() -> rights.grant(bad, Instant.MAX)).as(bad)
                    .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo("unsupported-user"));
        }
        assertThat(group.members).containsExactly("S-1-5-21-1-2-3-500");
    }

    @Test
    void revokingAUserWhoIsNoLongerAMemberOrNoLongerExistsIsNotAnError() throws Exception {
        WindowsAdminRights rights = new WindowsAdminRights(group);
        rights.revoke("ann");
        rights.revoke("gone");
        assertThat(group.members).containsExactly("S-1-5-21-1-2-3-500");
    }
}
