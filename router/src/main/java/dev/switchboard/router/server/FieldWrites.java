package dev.switchboard.router.server;

import java.lang.reflect.Field;

/**
 * Writes to fields of Undertow's and the JDK's classes that have no setter, through
 * {@code sun.misc.Unsafe}. Both uses are speed-ups with a working fallback, so they are only made
 * where Unsafe's memory access does not warn: from JDK 24 on it prints a warning at startup
 * (JEP 471), and there callers keep the original behaviour.
 */
@SuppressWarnings({"removal", "deprecation"})
final class FieldWrites {

    /** The JDK release from which sun.misc.Unsafe's memory access warns by default (JEP 471). */
    private static final int UNSAFE_WARNS_FROM = 24;

    private FieldWrites() {
    }

    /** Whether this JDK lets the writes happen silently. */
    static boolean available() {
        return Runtime.version().feature() < UNSAFE_WARNS_FROM;
    }

    /** Writes a static field (even a final one); the class must be initialized already. */
    static void writeStatic(Field field, Object value) throws ReflectiveOperationException {
        sun.misc.Unsafe unsafe = unsafe();
        unsafe.putObjectVolatile(unsafe.staticFieldBase(field), unsafe.staticFieldOffset(field), value);
    }

    /** Writes an instance field (even a final one) of an object no other thread has seen yet. */
    static void write(Object target, Field field, Object value) throws ReflectiveOperationException {
        sun.misc.Unsafe unsafe = unsafe();
        unsafe.putObjectVolatile(target, unsafe.objectFieldOffset(field), value);
    }

    private static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
        Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        return (sun.misc.Unsafe) field.get(null);
    }
}
