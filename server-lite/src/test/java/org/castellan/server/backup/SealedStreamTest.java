package org.castellan.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

/** The chunked AES-GCM stream: what was sealed reads back, and chunks cannot be moved, dropped or cut. */
@NoDatabase("no database, no server: the same on either backend")
class SealedStreamTest {
    static final SecureRandom RANDOM = new SecureRandom();
    final SecretKeySpec key = new SecretKeySpec(BackupHeader.random(RANDOM, 32), "AES");
    final byte[] prefix = BackupHeader.random(RANDOM, 7);
    final byte[] aad = "castellan-backup v1\n{}\n".getBytes();

    byte[] seal(byte[] plaintext) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SealedOutputStream sealed = new SealedOutputStream(out, key, prefix, aad)) {
            sealed.write(plaintext);
        }
        return out.toByteArray();
    }

    byte[] open(byte[] sealed, byte[] withAad) throws IOException {
        try (SealedInputStream in = new SealedInputStream(new ByteArrayInputStream(sealed), key, prefix, withAad)) {
            byte[] all = in.readAllBytes();
            assertThat(in.complete()).isTrue();
            return all;
        }
    }

    static List<byte[]> frames(byte[] sealed) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(sealed));
        while (in.available() > 0) {
            int length = in.readInt();
            byte[] frame = new byte[length];
            in.readFully(frame);
            frames.add(ByteBuffer.allocate(4 + length).putInt(length).put(frame).array());
        }
        return frames;
    }

    static byte[] join(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void whatIsSealedReadsBackAcrossChunks() throws Exception {
        for (int size : new int[] {0, 1, BackupHeader.CHUNK_BYTES, BackupHeader.CHUNK_BYTES + 1, 2 * BackupHeader.CHUNK_BYTES + 77}) {
            byte[] plaintext = BackupHeader.random(RANDOM, size);
            byte[] sealed = seal(plaintext);
            assertThat(open(sealed, aad)).isEqualTo(plaintext);
            int chunks = size == 0 ? 1 : (size + BackupHeader.CHUNK_BYTES - 1) / BackupHeader.CHUNK_BYTES;
            assertThat(frames(sealed).size()).as("a full last chunk is still the last one").isEqualTo(chunks);
        }
    }

    @Test
    void reorderedDroppedOrCutChunksAndAnotherHeaderAreRefused() throws Exception {
        byte[] sealed = seal(BackupHeader.random(RANDOM, 2 * BackupHeader.CHUNK_BYTES + 10));
        List<byte[]> frames = frames(sealed);
        assertThat(frames.size()).isEqualTo(3);

        List<byte[]> swapped = new ArrayList<>(frames);
        Collections.swap(swapped, 0, 1);
        List<byte[]> withoutMiddle = new ArrayList<>(List.of(frames.get(0), frames.get(2)));
        List<byte[]> withoutLast = new ArrayList<>(frames.subList(0, 2));
        List<byte[]> lastTwice = new ArrayList<>(frames);
        lastTwice.add(frames.get(2));
        for (List<byte[]> bad : List.of(swapped, withoutMiddle, withoutLast, lastTwice)) {
            assertThatThrownBy(() -> open(join(bad), aad)).isInstanceOf(BackupException.class)
                    .hasMessageContaining("damaged");
        }
        byte[] otherHeader = "castellan-backup v1\n{ }\n".getBytes();
        assertThatThrownBy(() -> open(sealed, otherHeader)).hasMessageContaining("fails authentication");
        assertThatThrownBy(() -> open(java.util.Arrays.copyOf(sealed, sealed.length - 1), aad))
                .hasMessageContaining("truncated");
    }
}
