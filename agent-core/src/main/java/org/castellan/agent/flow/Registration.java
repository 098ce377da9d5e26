package org.castellan.agent.flow;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import org.castellan.agent.AgentException;
import org.castellan.agent.AgentVersion;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerConnector;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.identity.MachineFingerprint;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.AgentState;
import org.castellan.agent.state.DeviceKeyStore;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.signing.DeviceKeyPair;

/**
 * Registers this device: a fresh Ed25519 key pair generated here, the public half sent with the
 * registration key, the private half sealed into {@code device.key}, the answer into
 * {@code agent.json}.
 */
public final class Registration {
    private final Platform platform;
    private final StateDir dir;
    private final ServerConnector connector;
    private final Clock clock;
    private final SecureRandom random;

    public Registration(Platform platform, StateDir dir, ServerConnector connector, Clock clock, SecureRandom random) {
        this.platform = platform;
        this.dir = dir;
        this.connector = connector;
        this.clock = clock;
        this.random = random;
    }

    /** Refuses before anything is sent if the device is registered (without force) or mid-rotation. */
    public void checkAllowed(boolean force) throws AgentException {
        StateStore store = new StateStore(dir);
        if (store.isRegistered() && !force) {
            String device = store.load().map(s -> " as device " + s.deviceId() + " with " + s.server()).orElse("");
            throw new AgentException("this device is already registered" + device + " (" + dir.resolve(StateStore.FILE)
                    + "); use --force to register again");
        }
        RotationJournal journal = new RotationJournal(dir);
        if (journal.read().isPresent() && !(force && copiedFromAnotherMachine(store))) {
            throw new AgentException("an unfinished password rotation is recorded in " + journal.location()
                    + "; run 'castellan-agent check-in' to finish it before registering again");
        }
    }

    /** A copied state's journal belongs to the original machine: {@code register --force} discards it. */
    private boolean copiedFromAnotherMachine(StateStore store) throws AgentException {
        return store.load().map(state -> CloneCheck.isCopy(platform, state)).orElse(false);
    }

    public AgentState register(String server, String fingerprint, Secret registrationKey, boolean force)
            throws AgentException {
        checkAllowed(force);
        boolean copy = force && copiedFromAnotherMachine(new StateStore(dir));
        try {
            dir.create();
            platform.secureStateDir(dir.path());
        } catch (IOException | PlatformException e) {
            throw new AgentException("prepare state directory " + dir, e);
        }
        DeviceKeyPair key = DeviceKeyPair.generate(random);
        ServerApi api = connector.connect(server, fingerprint, key, null);
        OsInfo os = platform.osInfo();
        RegisterResponse answer;
        try {
            answer = api.register(new RegisterRequest(registrationKey.reveal(), os.hostname(), platform.os(),
                    os.osVersion(), AgentVersion.get(), key.publicKeyBase64()));
        } catch (ServerException e) {
            throw new AgentException("register with " + server, e);
        }
        if (answer == null || answer.deviceId() == null || answer.deviceId().isBlank() || answer.vaultKey() == null
                || answer.policy() == null) {
            throw new AgentException("register with " + server + ": the answer lacks device id, vault key or policy");
        }
        StateStore store = new StateStore(dir);
        try {
            // Forget the old registration first, so a crash from here on leaves "not registered"
            // rather than an old device id paired with a new key.
            dir.delete(StateStore.FILE);
            if (copy) {
                dir.delete(RotationJournal.FILE); // The original machine's unfinished rotation, not ours.
            }
        } catch (IOException e) {
            throw new AgentException("remove previous registration " + dir.resolve(StateStore.FILE), e);
        }
        new DeviceKeyStore(dir, platform.keyProtector()).save(key);
        AgentState state = AgentState.registered(server, fingerprint, answer.deviceId(), answer.vaultKey(),
                answer.policy(), clock.instant(), MachineFingerprint.digest(platform.machineIdentity()));
        store.save(state);
        return state;
    }
}
