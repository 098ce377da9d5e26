package org.castellan.agent.linux;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * {@code crypt_r} from libcrypt (libxcrypt on current distributions), through JNA: the same
 * function PAM's pam_unix uses to check a password, without PAM itself (whose faillock could lock
 * the account after a failed check). The passphrase goes in native memory that is wiped after
 * the call, with the {@code crypt_data} work area that held copies of it.
 */
final class LibCrypt implements Crypt {
    /**
     * {@code sizeof(struct crypt_data)}: 32768 in libxcrypt, 131232 in glibc's old libcrypt; the
     * larger is allocated so that either fits.
     */
    static final int CRYPT_DATA_SIZE = 131_232;

    interface Native_ extends Library {
        Pointer crypt_r(Pointer phrase, Pointer setting, Pointer data);
    }

    private static volatile Native_ library;

    static Native_ library() throws CryptUnavailableException {
        Native_ loaded = library;
        if (loaded == null) {
            synchronized (LibCrypt.class) {
                if (library == null) {
                    library = load();
                }
                loaded = library;
            }
        }
        return loaded;
    }

    private static Native_ load() throws CryptUnavailableException {
        UnsatisfiedLinkError first = null;
        // "crypt" needs the libcrypt.so development link; libcrypt.so.1 is what every system has.
        for (String name : new String[] {"crypt", "libcrypt.so.1", "libcrypt.so.2"}) {
            try {
                return Native.load(name, Native_.class);
            } catch (UnsatisfiedLinkError e) {
                first = first == null ? e : first;
            }
        }
        throw new CryptUnavailableException("libcrypt cannot be loaded: " + first.getMessage(), first);
    }

    @Override
    public String hash(byte[] phrase, String setting) throws CryptUnavailableException {
        Native_ crypt = library();
        Memory input = new Memory(phrase.length + 1L);
        byte[] settingBytes = setting.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Memory settingMemory = new Memory(settingBytes.length + 1L);
        Memory data = new Memory(CRYPT_DATA_SIZE);
        try {
            input.write(0, phrase, 0, phrase.length);
            input.setByte(phrase.length, (byte) 0);
            settingMemory.write(0, settingBytes, 0, settingBytes.length);
            settingMemory.setByte(settingBytes.length, (byte) 0);
            data.clear();
            Pointer result = crypt.crypt_r(input, settingMemory, data);
            if (result == null) {
                return null;
            }
            String hash = result.getString(0, "US-ASCII");
            // libxcrypt returns "*0" / "*1" (never a valid hash) for a setting it cannot use.
            return hash.startsWith("*") ? null : hash;
        } catch (UnsatisfiedLinkError e) {
            throw new CryptUnavailableException("libcrypt has no crypt_r: " + e.getMessage(), e);
        } finally {
            input.clear();
            data.clear();
            input.close();
            settingMemory.close();
            data.close();
        }
    }
}
