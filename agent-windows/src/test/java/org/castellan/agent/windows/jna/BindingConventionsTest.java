package org.castellan.agent.windows.jna;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.Netapi32;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.W32APIFunctionMapper;
import com.sun.jna.win32.W32APIOptions;
import com.sun.jna.win32.W32APITypeMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bindings' shape, checked without loading any Windows library. */
class BindingConventionsTest {
    @Test
    void netapiExtensionExtendsJnaPlatformsBindingAsOshiDoes() {
        assertThat(Netapi32.class).isAssignableFrom(CastellanNetapi32.class);
    }

    @Test
    void netUserSetInfoHasTheDocumentedParameters() throws Exception {
        Method m = CastellanNetapi32.class.getMethod("NetUserSetInfo",
                String.class, String.class, int.class, Structure.class, IntByReference.class);
        assertThat(m.getReturnType()).isEqualTo(int.class);
        assertThat(CastellanNetapi32.class.getMethod("NetLocalGroupAddMembers",
                String.class, String.class, int.class, Structure.class, int.class).getReturnType()).isEqualTo(int.class);
        assertThat(CastellanNetapi32.class.getMethod("NetLocalGroupDelMembers",
                String.class, String.class, int.class, Structure.class, int.class).getReturnType()).isEqualTo(int.class);
        assertThat(CastellanNetapi32.class.getMethod("NetServerGetInfo",
                String.class, int.class, PointerByReference.class).getReturnType()).isEqualTo(int.class);
        assertThat(CastellanAdvapi32.class.getMethod("LsaQueryInformationPolicy",
                Pointer.class, int.class, PointerByReference.class).getReturnType()).isEqualTo(int.class);
    }

    @Test
    void libraryOptionsAreUnicodeSoStringsAreWideAndWVariantsAreBound() {
        Map<String, Object> options = W32APIOptions.DEFAULT_OPTIONS;
        // DEFAULT_OPTIONS is UNICODE_OPTIONS unless the JVM was started with w32.ascii=true.
        assertThat(Boolean.getBoolean("w32.ascii")).isFalse();
        assertThat(options.get(Library.OPTION_TYPE_MAPPER)).isSameAs(W32APITypeMapper.UNICODE);
        assertThat(options.get(Library.OPTION_FUNCTION_MAPPER)).isSameAs(W32APIFunctionMapper.UNICODE);
    }

    @Test
    void nativeLibrariesAreLoadedWithDefaultOptionsFromLazyHolders() throws Exception {
        // Read the source-level contract from the bytecode: holders are nested private classes,
        // so touching NativeLibraries (or the interfaces) never loads a DLL.
        Class<?>[] holders = NativeLibraries.class.getDeclaredClasses();
        assertThat(Arrays.stream(holders).map(Class::getSimpleName)).contains("NetapiHolder", "AdvapiHolder");
        for (Class<?> holder : holders) {
            assertThat(Modifier.isPrivate(holder.getModifiers())).isTrue();
        }
        assertThat(NativeLibraries.LOAD_OPTIONS).isSameAs(W32APIOptions.DEFAULT_OPTIONS)
                .containsEntry(Library.OPTION_TYPE_MAPPER, W32APITypeMapper.UNICODE);
    }

    @Test
    void bindingInterfacesHoldNoEagerlyLoadedInstance() {
        for (Class<?> binding : new Class<?>[] {CastellanNetapi32.class, CastellanAdvapi32.class}) {
            for (Field f : binding.getDeclaredFields()) {
                assertThat(f.getType()).as(binding.getSimpleName() + "." + f.getName()).isEqualTo(int.class);
            }
        }
    }

    @Test
    void passwordFieldsArePointersSoJnaNeverCopiesThePasswordIntoUnwipedMemory() throws Exception {
        assertThat(UserInfo1003.class.getField("usri1003_password").getType()).isEqualTo(Pointer.class);
        assertThat(UserInfo1.class.getField("usri1_password").getType()).isEqualTo(Pointer.class);
    }
}
