package io.derecho.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * Captures a generic type where no reflective {@code Method} supplies one:
 * {@code new TypeRef<List<String>>() {}.type()}. RPC layers pass
 * {@code Method.getGenericParameterTypes()} and {@code getGenericReturnType()} instead.
 */
public abstract class TypeRef<T> {
    private final Type type;

    protected TypeRef() {
        Type superType = getClass().getGenericSuperclass();
        if (!(superType instanceof ParameterizedType p)) {
            throw new IllegalStateException("TypeRef must be created with a type argument: new TypeRef<List<String>>() {}");
        }
        this.type = p.getActualTypeArguments()[0];
    }

    public final Type type() {
        return type;
    }

    /** The parameterized type {@code raw<args...>}, e.g. {@code parameterized(Map.class, String.class, Long.class)}. */
    public static ParameterizedType parameterized(Class<?> raw, Type... args) {
        Objects.requireNonNull(raw, "raw");
        if (raw.getTypeParameters().length != args.length) {
            throw new IllegalArgumentException(raw.getName() + " takes " + raw.getTypeParameters().length
                    + " type arguments, got " + args.length);
        }
        return new Types.Parameterized(raw, args.clone());
    }

    @Override
    public String toString() {
        return "TypeRef<" + type.getTypeName() + ">";
    }
}
