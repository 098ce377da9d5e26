package org.castellan.agent.macos.jit;

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
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.messages.JitGrant;
import org.castellan.protocol.messages.JitReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Just-in-time admin rights on macOS against a hand-written dseditgroup (the real one is not run here). */
class MacAdminRightsTest {
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

    FakeDseditgroup dseditgroup = new FakeDseditgroup();
    MovableClock clock = new MovableClock();
    MacAdminRights rights = new MacAdminRights(dseditgroup, MacTools.defaults());

    private JitGrants grants(Path tmp) throws Exception {
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();
        return new JitGrants(new JitStore(dir), rights, clock);
    }

    @Test
    void aGrantAddsTheUserToAdminWithDseditgroupAndItsEndAfterARestartRemovesIt(@TempDir Path tmp) throws Exception {
        Instant end = clock.now.plusSeconds(7200);
        grants(tmp).apply(List.of(new JitGrant("g1", "ann", end)));

        assertThat(dseditgroup.admins).contains("ann");
        assertThat(dseditgroup.calls).contains(List.of("/usr/sbin/dseditgroup", "-o", "edit", "-a", "ann", "-t", "user",
                "admin"));
        clock.now = end;
        JitGrants restarted = grants(tmp);
        restarted.sweep();

        assertThat(dseditgroup.admins).containsExactly("root", "localadmin");
        assertThat(dseditgroup.calls).contains(List.of("/usr/sbin/dseditgroup", "-o", "edit", "-d", "ann", "-t", "user",
                "admin"));
        assertThat(restarted.unsent()).extracting(JitReport::state).containsExactly("granted", "expired");
    }

    @Test
    void anExistingAdminIsNotAddedNorRemoved(@TempDir Path tmp) throws Exception {
        JitGrants jit = grants(tmp);
        jit.apply(List.of(new JitGrant("g1", "localadmin", clock.now.plusSeconds(60))));
        clock.now = clock.now.plusSeconds(61);

        jit.sweep();

        assertThat(dseditgroup.admins).contains("localadmin");
        assertThat(dseditgroup.calls).noneMatch(argv -> argv.contains("edit"));
    }

    @Test
    void aFailedEditIsAFailedGrantAndAnOptionLikeNameNeverReachesTheTool(@TempDir Path tmp) throws Exception {
        dseditgroup.editFailure = 64;
        JitGrants jit = grants(tmp);
        jit.apply(List.of(new JitGrant("g1", "ann", clock.now.plusSeconds(600))));
        assertThat(jit.unsent()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(JitReport.FAILED);
            assertThat(r.detail()).contains("Group not found");
        });
        assertThat(jit.held()).isEmpty();

        int calls = dseditgroup.calls.size();
        for (String bad : new String[] {"-d", "a b", "ann\nroot", ""}) {
            assertThatThrownBy(() -> rights.grant(bad, Instant.MAX)).as(bad)
                    .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo("unsupported-user"));
        }
        assertThat(dseditgroup.calls).hasSize(calls);
    }

    @Test
    void aRevokeThatLeavesTheUserAMemberFails() throws Exception {
        dseditgroup.admins.add("ann");
        dseditgroup.editFailure = 1;
        assertThatThrownBy(() -> rights.revoke("ann"))
                .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo("jit-revoke-failed"));
    }
}
