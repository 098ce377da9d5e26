package org.castellan.agent.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.castellan.protocol.Json;

/**
 * {@code lsblk -J -p -o PATH,TYPE,FSTYPE,FSVER,UUID,MOUNTPOINT}: the block devices that may hold a
 * LUKS header. lsblk reads FSTYPE from udev, so where udev has not probed a device (containers,
 * early boot) it is null: such devices stay candidates, and {@code blkid -p} decides.
 */
final class LsblkParser {
    /** Opened mappings (their content is the filesystem), optical drives: never a LUKS header. */
    private static final Set<String> NOT_CANDIDATES = Set.of("crypt", "rom");

    private LsblkParser() {}

    static List<String> luksCandidates(String json) throws IOException {
        JsonNode root = Json.tolerant().readTree(json);
        JsonNode devices = root == null ? null : root.get("blockdevices");
        if (devices == null || !devices.isArray()) {
            throw new IOException("lsblk output has no \"blockdevices\" array");
        }
        Set<String> found = new LinkedHashSet<>();
        walk(devices, found);
        return new ArrayList<>(found);
    }

    private static void walk(JsonNode devices, Set<String> found) {
        for (JsonNode d : devices) {
            String path = text(d, "path");
            String type = text(d, "type");
            String fstype = text(d, "fstype");
            if (path != null && (type == null || !NOT_CANDIDATES.contains(type))
                    && (fstype == null || fstype.equals("crypto_LUKS"))) {
                found.add(path);
            }
            JsonNode children = d.get("children");
            if (children != null && children.isArray()) {
                walk(children, found);
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
