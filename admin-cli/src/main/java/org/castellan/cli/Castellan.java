package org.castellan.cli;

import org.castellan.cli.commands.PasswordGetFastPath;

/**
 * The {@code castellan} command's entry point. Apart from {@link CastellanMain} because the Java
 * launcher reads every method signature of the main class to find {@code main}, which loads the
 * classes they name: {@link CastellanMain}'s name picocli's, whose classes a class-data-sharing
 * archive cannot hold (compiled for Java 5) and which {@code password get}'s fast path never uses.
 */
public final class Castellan {
    private Castellan() {}

    public static void main(String[] args) {
        Host host = Host.system();
        // `password get` in its plain spellings runs without building picocli's model (see PasswordGetFastPath).
        Integer fast = PasswordGetFastPath.run(host, args);
        System.exit(fast != null ? fast : CastellanMain.commandLineFor(host, args).execute(args));
    }
}
