package org.castellan.agent.macos.jit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;

/**
 * dseditgroup's admin group in memory, answering as the real tool does ({@code yes ann is a member
 * of admin}, exit 0; {@code no ann is NOT a member of admin}, exit 64), recording every argv.
 */
final class FakeDseditgroup implements CommandRunner {
    final Set<String> admins = new LinkedHashSet<>(List.of("root", "localadmin"));
    final List<List<String>> calls = new ArrayList<>();
    /** When set, -o edit fails with this exit code and changes nothing. */
    Integer editFailure;

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout) {
        calls.add(List.copyOf(argv));
        List<String> args = argv.subList(1, argv.size());
        if (args.size() == 5 && args.get(0).equals("-o") && args.get(1).equals("checkmember") && args.get(4).equals("admin")) {
            String user = args.get(3);
            return admins.contains(user) ? new CommandResult(0, "yes " + user + " is a member of admin\n", "")
                    : new CommandResult(64, "no " + user + " is NOT a member of admin\n", "");
        }
        if (args.size() == 7 && args.get(1).equals("edit") && args.get(5).equals("user") && args.get(6).equals("admin")) {
            if (editFailure != null) {
                return new CommandResult(editFailure, "", "Group not found.\n");
            }
            if (args.get(2).equals("-a")) {
                admins.add(args.get(3));
            } else if (args.get(2).equals("-d")) {
                admins.remove(args.get(3));
            }
            return new CommandResult(0, "", "");
        }
        return new CommandResult(2, "", "unexpected dseditgroup call " + argv + "\n");
    }
}
