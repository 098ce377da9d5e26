package org.castellan.cli.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.castellan.cli.Terminal;

/** A terminal that answers prompts from a script and records the prompts it was shown. */
public final class FakeTerminal implements Terminal {
    private final Deque<String> answers = new ArrayDeque<>();
    private final List<String> prompts = new ArrayList<>();
    private final List<char[]> handedOut = new ArrayList<>();

    public FakeTerminal answer(String... lines) {
        answers.addAll(List.of(lines));
        return this;
    }

    @Override
    public char[] readPassword(String prompt) {
        prompts.add(prompt);
        String answer = answers.poll();
        if (answer == null) {
            return null;
        }
        char[] chars = answer.toCharArray();
        handedOut.add(chars);
        return chars;
    }

    @Override
    public String readLine(String prompt) {
        prompts.add(prompt);
        return answers.poll();
    }

    public List<String> prompts() {
        return List.copyOf(prompts);
    }

    /** True when every password array handed to the CLI was zeroed afterwards. */
    public boolean everyPasswordWiped() {
        return handedOut.stream().allMatch(chars -> new String(chars).chars().allMatch(c -> c == 0));
    }
}
