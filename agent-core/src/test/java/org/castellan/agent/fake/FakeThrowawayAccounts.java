package org.castellan.agent.fake;

import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ThrowawayAccounts;

/** Throwaway accounts in memory, over the same {@link FakeAccounts} whose password the selftest sets. */
public final class FakeThrowawayAccounts implements ThrowawayAccounts {
    public final List<String> existing = new ArrayList<>();
    public final List<String> calls = new ArrayList<>();
    /**
     * Simulates the process dying right after the account was created: that call and every later
     * one throws {@link SimulatedCrash} (a dead process runs no clean-up) until {@link #restart()}.
     */
    public boolean crashAfterCreate;
    private boolean dead;

    /** A new process: calls work again. */
    public void restart() {
        dead = false;
    }

    private void alive() {
        if (dead) {
            throw new SimulatedCrash("the process is dead");
        }
    }
    public PlatformException deleteFailure;

    @Override
    public boolean exists(String name) {
        alive();
        return existing.contains(name);
    }

    @Override
    public ManagedAccount create(String name) throws PlatformException {
        alive();
        calls.add("create " + name);
        if (existing.contains(name)) {
            throw new PlatformException("account-exists", name + " exists");
        }
        existing.add(name);
        if (crashAfterCreate) {
            crashAfterCreate = false;
            dead = true;
            throw new SimulatedCrash("after creating " + name);
        }
        return new ManagedAccount(name, "1001");
    }

    @Override
    public void delete(String name) throws PlatformException {
        alive();
        calls.add("delete " + name);
        if (deleteFailure != null) {
            throw deleteFailure;
        }
        existing.remove(name);
    }
}
