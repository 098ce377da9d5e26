package org.castellan.server.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-of-N recovery shares of the vault keys: any K rebuild them, K-1 or a changed share never do. */
@NoDatabase("no database, no server: the same on either backend")
class VaultSharesTest {
    static final SecureRandom RANDOM = new SecureRandom();

    static Vault vault(int keys) {
        Map<String, VaultKeyPair> pairs = new java.util.HashMap<>();
        String current = null;
        for (int i = 0; i < keys; i++) {
            current = "vk-00000000000" + i;
            pairs.put(current, VaultKeyPair.generate(current, RANDOM));
        }
        return new Vault(pairs, current);
    }

    static void assertSameKeys(Vault rebuilt, Vault original) {
        assertThat(rebuilt.keyIds()).isEqualTo(original.keyIds());
        assertThat(rebuilt.current().keyId()).isEqualTo(original.current().keyId());
        for (String id : original.keyIds()) {
            assertThat(rebuilt.key(id).orElseThrow().privateKeyBytes())
                    .isEqualTo(original.key(id).orElseThrow().privateKeyBytes());
        }
    }

    @Test
    void everyKSubsetRebuildsTheKeysAndEveryKMinusOneSubsetIsRefused() throws Exception {
        Vault vault = vault(3);
        VaultShares.Split split = VaultShares.split(vault, 3, 5, RANDOM);
        assertThat(split.shares()).hasSize(5);
        int recovered = 0;
        int refused = 0;
        for (int mask = 1; mask < 32; mask++) {
            List<String> chosen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                if ((mask & (1 << i)) != 0) {
                    chosen.add(split.shares().get(i));
                }
            }
            String input = "pasted by a custodian\n" + String.join("\n\n", chosen) + "\n";
            if (chosen.size() >= 3) {
                VaultShares.Recovered r = VaultShares.recover(input);
                assertSameKeys(r.vault(), vault);
                assertThat(r.keysetId()).isEqualTo(split.keysetId()).isEqualTo(VaultShares.keysetId(vault));
                recovered++;
            } else {
                assertThatThrownBy(() -> VaultShares.recover(input)).isInstanceOf(VaultShares.ShareException.class)
                        .hasMessageContaining("3 are needed").hasMessageContaining("nothing was written");
                refused++;
            }
        }
        assertThat(recovered).isEqualTo(16); // C(5,3)+C(5,4)+C(5,5)
        assertThat(refused).isEqualTo(15);
    }

    @Test
    void eachShareIsSelfDescribing() {
        VaultShares.Split split = VaultShares.split(vault(1), 2, 3, RANDOM);
        for (int i = 0; i < 3; i++) {
            assertThat(split.shares().get(i)).startsWith("castellan-vault-share:v1:" + split.keysetId() + ":" + (i + 1)
                    + "-of-3:k2:");
        }
    }

    @Test
    void aChangedShareIsRefusedWhereverTheChangeIs() throws Exception {
        Vault vault = vault(2);
        VaultShares.Split split = VaultShares.split(vault, 2, 3, RANDOM);
        String share = split.shares().get(1);
        String data = share.substring(share.lastIndexOf(':') + 1);
        byte[] raw = Base64.getUrlDecoder().decode(data);
        // Every byte of share 2's content (header, Shamir data, commitment) changed in turn.
        for (int at = 0; at < raw.length; at++) {
            byte[] changed = raw.clone();
            changed[at] ^= 0x01;
            String bad = share.substring(0, share.lastIndexOf(':') + 1)
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
            for (String other : List.of(split.shares().get(0), split.shares().get(2))) {
                String input = other + "\n" + bad + "\n";
                assertThatThrownBy(() -> VaultShares.recover(input)).as("byte " + at)
                        .isInstanceOf(VaultShares.ShareException.class);
            }
        }
        // The label changed (share 2 claimed as share 3).
        String relabelled = share.replace(":2-of-3:", ":3-of-3:");
        assertThatThrownBy(() -> VaultShares.recover(split.shares().get(0) + "\n" + relabelled))
                .isInstanceOf(VaultShares.ShareException.class).hasMessageContaining("label");
        // A data character changed: named as the changed share.
        char last = data.charAt(60); // inside the Shamir data (bytes 33 on)
        String typo = share.substring(0, share.lastIndexOf(':') + 1) + data.substring(0, 60) + (last == 'A' ? 'B' : 'A')
                + data.substring(61);
        assertThatThrownBy(() -> VaultShares.recover(split.shares().get(0) + "\n" + typo))
                .isInstanceOf(VaultShares.ShareException.class).hasMessageContaining("[2]");
        // Still fine with the two untouched shares.
        assertSameKeys(VaultShares.recover(split.shares().get(0) + "\n" + split.shares().get(2)).vault(), vault);
    }

    @Test
    void sharesOfDifferentSplitsDoNotMix() {
        Vault vault = vault(1);
        VaultShares.Split one = VaultShares.split(vault, 2, 3, RANDOM);
        VaultShares.Split two = VaultShares.split(vault, 2, 3, RANDOM);
        assertThat(one.keysetId()).isEqualTo(two.keysetId());
        assertThatThrownBy(() -> VaultShares.recover(one.shares().get(0) + "\n" + two.shares().get(1)))
                .isInstanceOf(VaultShares.ShareException.class).hasMessageContaining("different splits");
        assertThatThrownBy(() -> VaultShares.recover("nothing here\n"))
                .isInstanceOf(VaultShares.ShareException.class).hasMessageContaining("no shares");
    }

    @Test
    void recoveredVaultIsWrittenOnlyWhereNoneExists(@TempDir Path dir) throws Exception {
        Vault vault = vault(2);
        VaultKeyFiles files = new VaultKeyFiles(dir);
        files.writeRecovered(vault);
        assertSameKeys(files.load(), vault);
        assertThat(Files.getPosixFilePermissions(files.dir()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> files.writeRecovered(vault)).hasMessageContaining("exists already");
        assertThat(Arrays.stream(dir.toFile().list()).toList()).containsExactly("vault");
    }
}
