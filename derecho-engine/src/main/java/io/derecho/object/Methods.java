package io.derecho.object;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Type-safe method references for calls on replicated objects ({@code Counter::add}), and the
 * stable ids that name methods on the wire: derived from the method's name and erased parameter
 * types, so they do not depend on declaration order and survive releases that keep the signature.
 */
public final class Methods {
    private static final Map<Class<?>, Method> RESOLVED = new ConcurrentHashMap<>();

    private Methods() {
    }

    /**
     * A method reference on a replicated type; the compiler checks its arguments. The functional
     * methods declare {@code throws Exception} so that methods with checked exceptions qualify;
     * they are never called, only resolved to the method they name.
     */
    public interface Ref extends Serializable {
    }

    /** A method of {@code T} returning {@code R}, without arguments. */
    @FunctionalInterface
    public interface Fn0<T, R> extends Ref {
        R apply(T target) throws Exception;
    }

    /** A method of {@code T} returning {@code R}, with one argument. */
    @FunctionalInterface
    public interface Fn1<T, A, R> extends Ref {
        R apply(T target, A a) throws Exception;
    }

    /** A method of {@code T} returning {@code R}, with two arguments. */
    @FunctionalInterface
    public interface Fn2<T, A, B, R> extends Ref {
        R apply(T target, A a, B b) throws Exception;
    }

    /** A method of {@code T} returning {@code R}, with three arguments. */
    @FunctionalInterface
    public interface Fn3<T, A, B, C, R> extends Ref {
        R apply(T target, A a, B b, C c) throws Exception;
    }

    /** A void method of {@code T} without arguments. */
    @FunctionalInterface
    public interface Proc0<T> extends Ref {
        void apply(T target) throws Exception;
    }

    /** A void method of {@code T} with one argument. */
    @FunctionalInterface
    public interface Proc1<T, A> extends Ref {
        void apply(T target, A a) throws Exception;
    }

    /** A void method of {@code T} with two arguments. */
    @FunctionalInterface
    public interface Proc2<T, A, B> extends Ref {
        void apply(T target, A a, B b) throws Exception;
    }

    /** A void method of {@code T} with three arguments. */
    @FunctionalInterface
    public interface Proc3<T, A, B, C> extends Ref {
        void apply(T target, A a, B b, C c) throws Exception;
    }

    /** The stable id of {@code m}: CRC32C of {@code name(paramType,...)} with erased type names. */
    public static int id(Method m) {
        return id(signature(m));
    }

    static int id(String signature) {
        CRC32C crc = new CRC32C();
        crc.update(signature.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** {@code name(type,...)}, e.g. {@code add(long)} or {@code put(java.lang.String,byte[])}. */
    public static String signature(Method m) {
        StringBuilder b = new StringBuilder(m.getName()).append('(');
        Class<?>[] params = m.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
            b.append(i == 0 ? "" : ",").append(params[i].getTypeName());
        }
        return b.append(')').toString();
    }

    /**
     * The method {@code ref} refers to, found on {@code type}.
     *
     * @throws IllegalArgumentException if {@code ref} is a lambda rather than a method reference, or
     *                                  names no public method of {@code type}
     */
    static Method resolve(Ref ref, Class<?> type) {
        return RESOLVED.computeIfAbsent(ref.getClass(), c -> find(ref, type));
    }

    private static Method find(Ref ref, Class<?> type) {
        SerializedLambda lambda;
        try {
            Method replace = ref.getClass().getDeclaredMethod("writeReplace");
            replace.setAccessible(true);
            lambda = (SerializedLambda) replace.invoke(ref);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("cannot tell which method " + ref + " refers to; pass a method reference"
                    + " such as Counter::add", e);
        }
        String name = lambda.getImplMethodName();
        if (name.startsWith("lambda$")) {
            throw new IllegalArgumentException("pass a method reference such as " + type.getSimpleName()
                    + "::method, not a lambda: a lambda's body cannot be run on the other replicas");
        }
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && descriptor(m).equals(lambda.getImplMethodSignature())
                    && !Modifier.isStatic(m.getModifiers())) {
                return m;
            }
        }
        throw new IllegalArgumentException("method " + name + lambda.getImplMethodSignature() + " is not a public"
                + " instance method of " + type.getName());
    }

    private static String descriptor(Method m) {
        StringBuilder b = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            b.append(p.descriptorString());
        }
        return b.append(')').append(m.getReturnType().descriptorString()).toString();
    }
}
