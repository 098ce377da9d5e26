package org.castellan.agent.macos.process;

/** A command could not be run at all (missing program, I/O error, timeout). */
public class CommandException extends Exception {
    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }

    public CommandException(String message) {
        super(message);
    }
}
