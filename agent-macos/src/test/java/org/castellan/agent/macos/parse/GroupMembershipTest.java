package org.castellan.agent.macos.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.castellan.agent.macos.TestResources;
import org.junit.jupiter.api.Test;

class GroupMembershipTest {
    @Test
    void yesWithExitZeroIsAMember() throws Exception {
        assertThat(GroupMembership.isMember(0, TestResources.text("outputs/dseditgroup/member.txt"), "admin", "admin")).isTrue();
    }

    @Test
    void noWithNonZeroExitIsNotAMember() throws Exception {
        assertThat(GroupMembership.isMember(67, TestResources.text("outputs/dseditgroup/not-member.txt"), "castellan", "admin")).isFalse();
    }

    @Test
    void unknownUserIsAnErrorRatherThanNotAMember() {
        assertThatThrownBy(() -> GroupMembership.isMember(64, TestResources.text("outputs/dseditgroup/unknown-user.txt"), "ghost", "admin"))
                .isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void sentenceContradictingTheExitCodeIsAnError() {
        assertThatThrownBy(() -> GroupMembership.isMember(1, "yes admin is a member of admin\n", "admin", "admin"))
                .isInstanceOf(UnexpectedOutputException.class);
    }

    @Test
    void answerAboutAnotherUserOrGroupIsNotTaken() {
        assertThatThrownBy(() -> GroupMembership.isMember(0, "yes bob is a member of admin\n", "alice", "admin"))
                .isInstanceOf(UnexpectedOutputException.class);
        assertThatThrownBy(() -> GroupMembership.isMember(0, "yes alice is a member of staff\n", "alice", "admin"))
                .isInstanceOf(UnexpectedOutputException.class);
    }
}
