package org.castellan.agent.spi;

/** The agent's long-running loop, as handed to {@link Platform#runAsService}. */
public interface AgentService {
    /** Runs until {@link #stop()} is called. */
    void run() throws Exception;

    /** Asks the loop to finish its current step and return; safe to call from any thread. */
    void stop();
}
