package org.castellan.protocol.signing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.castellan.protocol.Headers;

/** The headers that carry a request signature. */
public record SignedHeaders(String deviceId, long timestamp, String nonce, String signature) {

    /** As header name to value; the device header is left out when there is no device id yet. */
    public Map<String, String> asMap() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (deviceId != null) {
            headers.put(Headers.DEVICE, deviceId);
        }
        headers.put(Headers.TIMESTAMP, Long.toString(timestamp));
        headers.put(Headers.NONCE, nonce);
        headers.put(Headers.SIGNATURE, signature);
        return headers;
    }
}
