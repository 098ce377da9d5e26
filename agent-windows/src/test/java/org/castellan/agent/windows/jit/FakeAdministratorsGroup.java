package org.castellan.agent.windows.jit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.castellan.agent.windows.account.NetApiStatus;

/** The Administrators group in memory, with NetLocalGroup*Members' statuses; a German Windows by default. */
final class FakeAdministratorsGroup implements AdministratorsGroup {
    String groupName = "Administratoren";
    final Map<String, String> accounts = new LinkedHashMap<>(Map.of(
            "ann", "S-1-5-21-1-2-3-1001", "CORP\\bob", "S-1-5-21-9-9-9-1105"));
    final Set<String> members = new LinkedHashSet<>(List.of("S-1-5-21-1-2-3-500"));
    final List<String> calls = new ArrayList<>();
    Integer addStatus;

    @Override
    public String name() {
        calls.add("LookupAccountSid S-1-5-32-544");
        return groupName;
    }

    @Override
    public Optional<String> sidOf(String account) {
        calls.add("LookupAccountName " + account);
        return Optional.ofNullable(accounts.get(account));
    }

    @Override
    public int addMember(String group, String memberSid) {
        calls.add("NetLocalGroupAddMembers " + group + " " + memberSid);
        if (!group.equals(groupName)) {
            return NetApiStatus.NERR_GROUP_NOT_FOUND;
        }
        if (addStatus != null) {
            return addStatus;
        }
        return members.add(memberSid) ? 0 : NetApiStatus.ERROR_MEMBER_IN_ALIAS;
    }

    @Override
    public int deleteMember(String group, String memberSid) {
        calls.add("NetLocalGroupDelMembers " + group + " " + memberSid);
        if (!group.equals(groupName)) {
            return NetApiStatus.NERR_GROUP_NOT_FOUND;
        }
        return members.remove(memberSid) ? 0 : NetApiStatus.ERROR_MEMBER_NOT_IN_ALIAS;
    }
}
