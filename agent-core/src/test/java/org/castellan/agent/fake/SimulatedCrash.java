package org.castellan.agent.fake;

/** Stands for the process dying at a given point: unchecked, so nothing in the agent handles it. */
public final class SimulatedCrash extends RuntimeException {
    public SimulatedCrash(String where) {
        super("simulated crash " + where);
    }
}
