package org.castellan.agent.windows.jna;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The LLP64 calculator itself, and that the Wine check covers every structure of the module. */
class Llp64LayoutTest {
    /** C {@code struct { long a; int b; }}: 8 bytes on Windows x64, 16 under JNA on Linux. */
    @Structure.FieldOrder({"a", "b"})
    public static class WithLong extends Structure {
        public NativeLong a;
        public int b;

        public WithLong() {
            super(ALIGN_DEFAULT);
        }
    }

    @Test
    void nativeLongIsFourBytesOnWindowsAlthoughJnaHereSaysEight() {
        Llp64Layout.Layout windows = Llp64Layout.of(new WithLong());

        assertThat(windows.size()).isEqualTo(8);
        assertThat(windows.offsets()).containsEntry("b", 4);
        if (com.sun.jna.Native.LONG_SIZE == 8) {
            assertThat(new WithLong().size()).as("JNA's LP64 layout on this JVM").isEqualTo(16);
        }
    }

    @Test
    void pointersAndPaddingFollowTheHeaders() {
        Llp64Layout.Layout userInfo1 = Llp64Layout.of(new UserInfo1());

        assertThat(userInfo1.offsets()).containsEntry("usri1_password_age", 16).containsEntry("usri1_script_path", 48);
        assertThat(userInfo1.size()).isEqualTo(56);
        assertThat(Llp64Layout.of(new PolicyAccountDomainInfo()).offsets()).containsEntry("DomainSid", 16);
    }

    @Test
    void everyStructureOfTheModuleIsInTheWineCheck() throws Exception {
        Path classes = Path.of(UserInfo1.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> structures;
        try (Stream<Path> files = Files.walk(classes)) {
            structures = files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(Llp64LayoutTest::isStructure).toList();
        }
        List<String> checked = WindowsStructures.ALL.stream().map(e -> e.create().getClass().getName()).toList();

        assertThat(structures).isNotEmpty();
        assertThat(checked).containsAll(structures);
    }

    private static boolean isStructure(String className) {
        try {
            Class<?> type = Class.forName(className, false, Llp64LayoutTest.class.getClassLoader());
            return Structure.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
