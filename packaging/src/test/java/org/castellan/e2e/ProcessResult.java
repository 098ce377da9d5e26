package org.castellan.e2e;

/** What a finished process left behind. */
record ProcessResult(int exitCode, String stdout, String stderr) {
    String describe() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
