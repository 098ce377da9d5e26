package org.castellan.agent.windows.jna;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.Structure;
import com.sun.jna.WString;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout a JNA {@link Structure} gets on 64-bit Windows (LLP64, MSVC's default packing),
 * computed from its declared Java field types, whatever JVM this runs on. JNA on Linux lays a
 * structure out by LP64 rules instead: {@link NativeLong} is 8 bytes there and 4 on Windows, and a
 * Java {@code char} (wchar_t) is 4 bytes there and 2 on Windows; everything else agrees. So the
 * layout cannot be read off JNA here and is computed by these rules:
 *
 * <ul>
 *   <li>byte 1, short 2, char 2 (wchar_t), int 4, boolean 4 (JNA passes it as a C int), float 4,
 *       long 8, double 8;
 *   <li>{@link NativeLong} and its subclasses 4; other {@link IntegerType}s their declared size;
 *   <li>pointers (Pointer, PointerType, String, WString, callbacks, by-reference structures) 8;
 *   <li>a nested structure by value: its own layout; an array: element size times length;
 *   <li>each field at the next multiple of its alignment (natural, at most 8); the structure's
 *       size rounded up to its largest field alignment.
 * </ul>
 */
final class Llp64Layout {
    static final int POINTER = 8;

    record Layout(int size, int alignment, Map<String, Integer> offsets) {}

    private record Sized(int size, int alignment) {}

    private Llp64Layout() {}

    static Layout of(Structure structure) {
        Map<String, Integer> offsets = new LinkedHashMap<>();
        int offset = 0;
        int alignment = 1;
        for (String name : fieldOrder(structure)) {
            Field field = field(structure.getClass(), name);
            Sized sized = sizeOf(field.getType(), value(field, structure));
            offset = align(offset, sized.alignment());
            offsets.put(name, offset);
            offset += sized.size();
            alignment = Math.max(alignment, sized.alignment());
        }
        return new Layout(align(offset, alignment), alignment, offsets);
    }

    private static Sized sizeOf(Class<?> type, Object value) {
        if (type == byte.class) {
            return new Sized(1, 1);
        }
        if (type == short.class || type == char.class) {
            return new Sized(2, 2);
        }
        if (type == int.class || type == boolean.class || type == float.class) {
            return new Sized(4, 4);
        }
        if (type == long.class || type == double.class) {
            return new Sized(8, 8);
        }
        if (NativeLong.class.isAssignableFrom(type)) {
            return new Sized(4, 4); // C long is 32 bits on Windows.
        }
        if (IntegerType.class.isAssignableFrom(type)) {
            int size = Native.getNativeSize(type, value);
            return new Sized(size, Math.min(size, 8));
        }
        if (Pointer.class.isAssignableFrom(type) || PointerType.class.isAssignableFrom(type) || type == String.class
                || type == WString.class || Callback.class.isAssignableFrom(type) || Buffer.class.isAssignableFrom(type)
                || Structure.ByReference.class.isAssignableFrom(type)) {
            return new Sized(POINTER, POINTER);
        }
        if (Structure.class.isAssignableFrom(type)) {
            Structure nested = value != null ? (Structure) value : newInstance(type);
            Layout layout = of(nested);
            return new Sized(layout.size(), layout.alignment());
        }
        if (type.isArray()) {
            if (value == null) {
                throw new IllegalArgumentException("array field without a value: its length is unknown");
            }
            int length = java.lang.reflect.Array.getLength(value);
            Object first = length == 0 ? null : java.lang.reflect.Array.get(value, 0);
            Sized element = sizeOf(type.getComponentType(), first);
            return new Sized(element.size() * length, element.alignment());
        }
        throw new IllegalArgumentException("no LLP64 rule for field type " + type.getName());
    }

    private static int align(int offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    @SuppressWarnings("unchecked")
    static List<String> fieldOrder(Structure structure) {
        try {
            Method method = Structure.class.getDeclaredMethod("getFieldOrder");
            method.setAccessible(true);
            return (List<String>) method.invoke(structure);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // Declared in a superclass.
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no field " + name);
    }

    private static Object value(Field field, Structure structure) {
        try {
            field.setAccessible(true);
            return field.get(structure);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static Structure newInstance(Class<?> type) {
        try {
            return (Structure) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create " + type.getName(), e);
        }
    }
}
