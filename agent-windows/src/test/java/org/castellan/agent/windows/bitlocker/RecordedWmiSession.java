package org.castellan.agent.windows.bitlocker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays WMI answers from a JSON file under src/test/resources/bitlocker: the volume query's rows,
 * and each method's out-parameters keyed by DeviceID or protector ID (case-insensitive, as WMI).
 */
final class RecordedWmiSession implements BitLockerWmiSession {
    private final Map<String, Object> recording;
    final List<String> calls = new ArrayList<>();
    boolean closed;

    @SuppressWarnings("unchecked")
    RecordedWmiSession(String resource) {
        try (InputStream in = RecordedWmiSession.class.getResourceAsStream("/bitlocker/" + resource)) {
            recording = new ObjectMapper().readValue(in, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BitLockerWmiSession.Connector connector() {
        return () -> Optional.of(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> encryptableVolumes() {
        calls.add("ExecQuery Win32_EncryptableVolume");
        return (List<Map<String, Object>>) recording.get("volumes");
    }

    @Override
    public Map<String, Object> getKeyProtectors(String deviceId, int keyProtectorType) {
        calls.add("GetKeyProtectors " + keyProtectorType + " " + deviceId);
        return answer("GetKeyProtectors", deviceId);
    }

    @Override
    public Map<String, Object> getKeyProtectorNumericalPassword(String deviceId, String protectorId) {
        calls.add("GetKeyProtectorNumericalPassword " + protectorId);
        return answer("GetKeyProtectorNumericalPassword", protectorId);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> answer(String method, String key) {
        Map<String, Object> answers = (Map<String, Object>) recording.get(method);
        return answers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key))
                .map(e -> (Map<String, Object>) e.getValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no recorded " + method + " for " + key));
    }

    @Override
    public void close() {
        closed = true;
    }
}
