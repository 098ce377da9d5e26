package org.castellan.agent.fake;

import org.castellan.agent.AgentException;
import org.castellan.agent.state.JournalEntry;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;

/** The real journal, dying right after a chosen step is durably written. */
public final class CrashingJournal extends RotationJournal {
    private JournalEntry.Step crashAfter;

    public CrashingJournal(StateDir dir, JournalEntry.Step crashAfter) {
        super(dir);
        this.crashAfter = crashAfter;
    }

    @Override
    public void write(JournalEntry entry) throws AgentException {
        super.write(entry);
        if (entry.step() == crashAfter) {
            crashAfter = null;
            throw new SimulatedCrash("after journaling " + entry.step().wireName());
        }
    }
}
