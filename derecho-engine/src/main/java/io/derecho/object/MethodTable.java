package io.derecho.object;

import io.derecho.codec.ArgumentsCodec;
import io.derecho.codec.Codec;
import io.derecho.codec.CodecException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The callable methods of one replicated type, by stable id: every public instance method except
 * those of {@code Object} and of the engine's own interfaces. Argument and reply encoders are built
 * once, here; a method whose types the codec cannot handle stays listed and fails, with the codec's
 * reason, when it is called.
 */
final class MethodTable {
    private static final Set<Class<?>> ENGINE_INTERFACES = Set.of(Object.class, Snapshotting.class, CodecState.class,
            RawReceiver.class);

    /** One method: how to call it and how its arguments and reply travel. */
    record Entry(int id, Method method, String signature, MethodHandle handle, ArgumentsCodec args, Type reply,
                 String unsupported) {
        boolean isVoid() {
            return method.getReturnType() == void.class;
        }

        String describe(Class<?> type) {
            return type.getSimpleName() + "." + signature;
        }
    }

    private final Class<?> type;
    private final Map<Integer, Entry> byId = new HashMap<>();
    private final Map<Method, Entry> byMethod = new java.util.concurrent.ConcurrentHashMap<>();

    MethodTable(Class<?> type, Codec codec) {
        this.type = type;
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || ENGINE_INTERFACES.contains(m.getDeclaringClass())
                    || implementsEngineInterface(type, m) || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            int id = Methods.id(m);
            String signature = Methods.signature(m);
            Entry other = byId.get(id);
            if (other != null) {
                if (other.signature().equals(signature)) {
                    continue; // the same method seen through two supertypes
                }
                throw new IllegalArgumentException("methods " + other.signature() + " and " + signature + " of "
                        + type.getName() + " have the same id " + id + "; rename one of them");
            }
            ArgumentsCodec args = null;
            String unsupported = null;
            try {
                args = codec.forArguments(m.getGenericParameterTypes());
                if (m.getReturnType() != void.class) {
                    codec.forArguments(m.getGenericReturnType());
                }
            } catch (CodecException e) {
                unsupported = e.getMessage();
            }
            byId.put(id, new Entry(id, m, signature, handle(m), args, m.getGenericReturnType(), unsupported));
        }
    }

    private static MethodHandle handle(Method m) {
        try {
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m)
                    .asSpreader(Object[].class, m.getParameterCount())
                    .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalArgumentException("cannot call " + m + ": " + e.getMessage(), e);
        }
    }

    Class<?> type() {
        return type;
    }

    Entry get(int id) {
        return byId.get(id);
    }

    Entry get(Method m) {
        Entry known = byMethod.get(m);
        if (known != null) {
            return known;
        }
        Entry e = byId.get(Methods.id(m));
        if (e == null || !e.method().equals(m) && !e.signature().equals(Methods.signature(m))) {
            throw new IllegalArgumentException(m + " is not a replicated method of " + type.getName());
        }
        byMethod.put(m, e);
        return e;
    }

    /** A method of {@code type} that implements one of the engine's interfaces (state transfer, raw receive): not callable. */
    private static boolean implementsEngineInterface(Class<?> type, Method m) {
        for (Class<?> i : ENGINE_INTERFACES) {
            if (i.isInterface() && i.isAssignableFrom(type)) {
                for (Method im : i.getMethods()) {
                    if (im.getName().equals(m.getName()) && im.getParameterCount() == m.getParameterCount()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
