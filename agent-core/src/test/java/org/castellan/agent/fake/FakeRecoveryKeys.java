package org.castellan.agent.fake;

import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.protocol.Secret;

/** Recovery keys the tests set; every scan hands out fresh {@link Secret}s and remembers them. */
public final class FakeRecoveryKeys implements RecoveryKeySource {
    public record Key(String volumeId, String volumeLabel, String protectorId, String recoveryPassword) {}

    public List<Key> keys = new ArrayList<>();
    public List<String> unprotectedVolumes = new ArrayList<>();
    public PlatformException failure;
    public int scans;
    public final List<Secret> handedOut = new ArrayList<>();

    @Override
    public RecoveryKeyScan scan() throws PlatformException {
        scans++;
        if (failure != null) {
            throw failure;
        }
        List<RecoveryKey> found = new ArrayList<>();
        for (Key k : keys) {
            Secret secret = Secret.of(k.recoveryPassword());
            handedOut.add(secret);
            found.add(new RecoveryKey(k.volumeId(), k.volumeLabel(), k.protectorId(), secret));
        }
        return new RecoveryKeyScan(found, List.copyOf(unprotectedVolumes));
    }
}
