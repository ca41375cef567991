package io.derecho.codec;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the encoders for one requested type and everything it contains. Work happens in a
 * private map and is handed to the codec's cache only when the whole type succeeded, so a failed
 * build leaves no half-built (unbound recursive) encoder behind.
 */
final class EncoderFactory {
    private final Map<Class<?>, TypeCodec<?>> custom;
    private final Function<Type, Encoder> committed;
    private final Map<Type, Encoder> built = new HashMap<>();
    private final Map<Type, Encoder.Recursive> inProgress = new HashMap<>();
    private final Set<Type> recursive = new HashSet<>();

    EncoderFactory(Map<Class<?>, TypeCodec<?>> custom, Function<Type, Encoder> committed) {
        this.custom = custom;
        this.committed = committed;
    }

    /** Everything built, to be cached by the caller. */
    Map<Type, Encoder> built() {
        return built;
    }

    Encoder resolve(Type type) {
        Encoder e = committed.apply(type);
        if (e == null) {
            e = built.get(type);
        }
        if (e != null) {
            return e;
        }
        Encoder.Recursive placeholder = inProgress.get(type);
        if (placeholder != null) {
            recursive.add(type);
            return placeholder;
        }
        placeholder = new Encoder.Recursive();
        inProgress.put(type, placeholder);
        Encoder real = create(type);
        inProgress.remove(type);
        placeholder.bind(real);
        Encoder result = recursive.contains(type) ? placeholder : real;
        built.put(type, result);
        return result;
    }

    private Encoder create(Type type) {
        if (type instanceof Class<?> c) {
            return forClass(c);
        }
        if (type instanceof ParameterizedType p) {
            return forParameterized(p);
        }
        if (type instanceof GenericArrayType g) {
            Type component = g.getGenericComponentType();
            return new ArrayEncoders.ObjectArray(Types.raw(component), resolve(component));
        }
        if (type instanceof WildcardType w) {
            return resolve(Types.bound(w));
        }
        if (type instanceof TypeVariable<?>) {
            Types.raw(type); // throws the explanation
        }
        throw unsupported(type, "it is not a kind of type the codec understands");
    }

    private Encoder forClass(Class<?> c) {
        TypeCodec<?> codec = custom.get(c);
        if (codec != null) {
            return new Encoder.Custom(c, codec);
        }
        Encoder builtIn = Scalars.forClass(c);
        if (builtIn != null) {
            return builtIn;
        }
        if (c.isEnum()) {
            return new EnumEncoder(c);
        }
        if (c.isArray()) {
            return new ArrayEncoders.ObjectArray(c.getComponentType(), resolve(c.getComponentType()));
        }
        if (c.isRecord()) {
            if (c.getTypeParameters().length > 0) {
                throw unsupported(c, "it is a generic record used without type arguments; declare it parameterized, e.g. "
                        + c.getSimpleName() + "<String> (or new TypeRef<" + c.getSimpleName() + "<String>>() {}.type())");
            }
            return record(c, Map.of());
        }
        if (CollectionEncoders.isCollection(c) || CollectionEncoders.isMap(c) || c == Optional.class) {
            throw unsupported(c, "it is a raw type whose elements have no declared type; declare it with type arguments, "
                    + "e.g. " + c.getSimpleName() + "<String>");
        }
        if (c == Object.class) {
            throw unsupported(c, "the codec sends no type information, so the declared type must be concrete "
                    + "(a record, enum, collection with type arguments, ...)");
        }
        throw unsupported(c, c.isInterface() ? "it is an interface" : "it is neither a record nor a built-in type");
    }

    private Encoder forParameterized(ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        TypeCodec<?> codec = custom.get(raw);
        if (codec != null) {
            return new Encoder.Custom(raw, codec);
        }
        if (CollectionEncoders.isCollection(raw)) {
            if (CollectionEncoders.isSorted(raw)) {
                requireComparable(p, args[0]);
            }
            return CollectionEncoders.collection(raw, resolve(args[0]));
        }
        if (CollectionEncoders.isMap(raw)) {
            if (CollectionEncoders.isSorted(raw)) {
                requireComparable(p, args[0]);
            }
            return CollectionEncoders.map(raw, resolve(args[0]), resolve(args[1]));
        }
        if (raw == Optional.class) {
            return CollectionEncoders.optional(resolve(args[0]));
        }
        if (raw.isRecord()) {
            return record(raw, Types.bindings(p));
        }
        throw unsupported(p, "it is neither a record nor a supported collection, map or Optional");
    }

    private Encoder record(Class<?> c, Map<TypeVariable<?>, Type> bindings) {
        RecordComponent[] rc = c.getRecordComponents();
        Encoder[] encoders = new Encoder[rc.length];
        for (int i = 0; i < rc.length; i++) {
            try {
                encoders[i] = resolve(Types.substitute(rc[i].getGenericType(), bindings));
            } catch (CodecException e) {
                throw new CodecException(e.getMessage() + "; in record component " + c.getName() + "." + rc[i].getName(), e);
            }
        }
        return RecordEncoder.create(c, encoders);
    }

    private static void requireComparable(ParameterizedType p, Type element) {
        Class<?> raw = Types.raw(element);
        if (!Comparable.class.isAssignableFrom(raw)) {
            throw unsupported(p, "a sorted collection is decoded with natural ordering, and " + raw.getName()
                    + " is not Comparable; use a List or a non-sorted Set/Map");
        }
    }

    private static CodecException unsupported(Type type, String why) {
        return new CodecException("no codec for " + type.getTypeName() + ": " + why + ". Use a record or a supported "
                + "type, or register a TypeCodec for it: BinaryCodec.builder().register(" + Types.raw(type).getSimpleName()
                + ".class, codec)");
    }
}
