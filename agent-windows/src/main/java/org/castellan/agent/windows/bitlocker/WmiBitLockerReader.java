package org.castellan.agent.windows.bitlocker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/** {@link BitLockerWmi} over a {@link BitLockerWmiSession}: three WMI calls, parsed. */
public final class WmiBitLockerReader implements BitLockerWmi {
    /** KeyProtectorType 3: numerical password (the 48-digit recovery password). */
    static final int NUMERICAL_PASSWORD = 3;

    private final BitLockerWmiSession.Connector connector;

    public WmiBitLockerReader(BitLockerWmiSession.Connector connector) {
        this.connector = connector;
    }

    @Override
    public List<EncryptableVolume> volumes() throws PlatformException {
        Optional<BitLockerWmiSession> opened = connector.open();
        if (opened.isEmpty()) {
            return List.of(); // no BitLocker on this edition of Windows
        }
        List<EncryptableVolume> volumes = new ArrayList<>();
        try (BitLockerWmiSession session = opened.get()) {
            for (Map<String, Object> properties : session.encryptableVolumes()) {
                volumes.add(read(session, BitLockerWmiParser.volume(properties)));
            }
        } catch (PlatformException | RuntimeException e) {
            volumes.forEach(v -> v.protectors().forEach(p -> p.numericalPassword().close()));
            throw e;
        }
        return List.copyOf(volumes);
    }

    private EncryptableVolume read(BitLockerWmiSession session, BitLockerWmiParser.VolumeRow row)
            throws PlatformException {
        String label = row.driveLetter() != null ? row.driveLetter() : row.deviceId();
        Map<String, Object> listed = session.getKeyProtectors(row.deviceId(), NUMERICAL_PASSWORD);
        if (BitLockerWmiParser.isLocked(listed)) {
            return locked(row);
        }
        List<ProtectorPassword> protectors = new ArrayList<>();
        try {
            for (String id : BitLockerWmiParser.protectorIds(listed, label)) {
                Map<String, Object> answer = session.getKeyProtectorNumericalPassword(row.deviceId(), id);
                if (BitLockerWmiParser.isLocked(answer)) {
                    protectors.forEach(p -> p.numericalPassword().close());
                    return locked(row);
                }
                Secret password = BitLockerWmiParser.numericalPassword(answer, label, id);
                protectors.add(new ProtectorPassword(id, password));
            }
        } catch (PlatformException | RuntimeException e) {
            protectors.forEach(p -> p.numericalPassword().close());
            throw e;
        }
        return new EncryptableVolume(row.deviceId(), row.driveLetter(), row.protectionStatus(),
                row.conversionStatus(), false, List.copyOf(protectors));
    }

    private static EncryptableVolume locked(BitLockerWmiParser.VolumeRow row) {
        return new EncryptableVolume(row.deviceId(), row.driveLetter(), row.protectionStatus(),
                row.conversionStatus(), true, List.of());
    }
}
