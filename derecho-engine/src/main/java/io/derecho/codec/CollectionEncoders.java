package io.derecho.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Collections, maps and Optional. A collection or map is {@code varint(size + 1)} (0 for null)
 * and then its elements (keys and values alternating), each with its own encoder, in iteration
 * order. Decoding builds the declared type, or for an interface an implementation that keeps the
 * wire order (ArrayList, LinkedHashSet, LinkedHashMap; TreeSet/TreeMap with natural ordering for
 * the sorted interfaces), so every replica iterates a decoded value identically. A set or map
 * whose input repeats an element or key is rejected rather than silently shrunk.
 */
final class CollectionEncoders {
    private CollectionEncoders() {
    }

    private static final Map<Class<?>, IntFunction<Collection<Object>>> COLLECTIONS = Map.ofEntries(
            Map.entry(Collection.class, ArrayList::new),
            Map.entry(List.class, ArrayList::new),
            Map.entry(ArrayList.class, ArrayList::new),
            Map.entry(LinkedList.class, n -> new LinkedList<>()),
            Map.entry(Set.class, LinkedHashSet::newLinkedHashSet),
            Map.entry(LinkedHashSet.class, LinkedHashSet::newLinkedHashSet),
            Map.entry(HashSet.class, HashSet::newHashSet),
            Map.entry(SortedSet.class, n -> new TreeSet<>()),
            Map.entry(NavigableSet.class, n -> new TreeSet<>()),
            Map.entry(TreeSet.class, n -> new TreeSet<>()));

    private static final Map<Class<?>, IntFunction<Map<Object, Object>>> MAPS = Map.of(
            Map.class, LinkedHashMap::newLinkedHashMap,
            LinkedHashMap.class, LinkedHashMap::newLinkedHashMap,
            HashMap.class, HashMap::newHashMap,
            SortedMap.class, n -> new TreeMap<>(),
            NavigableMap.class, n -> new TreeMap<>(),
            TreeMap.class, n -> new TreeMap<>());

    static boolean isCollection(Class<?> raw) {
        return COLLECTIONS.containsKey(raw);
    }

    static boolean isMap(Class<?> raw) {
        return MAPS.containsKey(raw);
    }

    static boolean isSorted(Class<?> raw) {
        return SortedSet.class.isAssignableFrom(raw) || SortedMap.class.isAssignableFrom(raw);
    }

    static Encoder collection(Class<?> raw, Encoder element) {
        return new CollectionEncoder(raw, COLLECTIONS.get(raw), Set.class.isAssignableFrom(raw), element);
    }

    static Encoder map(Class<?> raw, Encoder key, Encoder value) {
        return new MapEncoder(raw, MAPS.get(raw), key, value);
    }

    static Encoder optional(Encoder content) {
        return new Encoder.Present() {
            @Override
            void writeValue(ByteSink out, Object value) {
                content.write(out, ((Optional<?>) value).orElse(null));
            }

            @Override
            Object readValue(ByteSource in) {
                return Optional.ofNullable(content.read(in));
            }
        };
    }

    private static CodecException rejected(Class<?> raw, String what, int at, RuntimeException e) {
        return new CodecException(raw.getSimpleName() + " rejected the " + what + " decoded before offset " + at + ": " + e, e);
    }

    static final class CollectionEncoder extends Encoder {
        private final Class<?> raw;
        private final IntFunction<Collection<Object>> factory;
        private final boolean isSet;
        private final Encoder element;
        private final String label;

        CollectionEncoder(Class<?> raw, IntFunction<Collection<Object>> factory, boolean isSet, Encoder element) {
            this.raw = raw;
            this.factory = factory;
            this.isSet = isSet;
            this.element = element;
            this.label = raw.getSimpleName() + " size";
        }

        @Override
        void write(ByteSink out, Object value) {
            if (value == null) {
                out.writeByte(0);
                return;
            }
            Collection<?> c = (Collection<?>) value;
            int n = c.size();
            out.writeVarInt(n + 1);
            int written = 0;
            if (c instanceof List<?> list && c instanceof RandomAccess) {
                for (; written < n; written++) {
                    element.write(out, list.get(written));
                }
            } else {
                for (Object e : c) {
                    element.write(out, e);
                    written++;
                }
            }
            if (written != n) {
                throw new CodecException(raw.getSimpleName() + " changed size while being encoded");
            }
        }

        @Override
        Object read(ByteSource in) {
            int n = in.readLength(label, 1);
            if (n < 0) {
                return null;
            }
            Collection<Object> c = factory.apply(n);
            for (int i = 0; i < n; i++) {
                Object e = element.read(in);
                boolean added;
                try {
                    added = c.add(e);
                } catch (RuntimeException ex) {
                    throw rejected(raw, "element", in.position(), ex);
                }
                if (!added && isSet) {
                    throw new CodecException("duplicate element in a " + raw.getSimpleName() + " before offset "
                            + in.position());
                }
            }
            return c;
        }
    }

    static final class MapEncoder extends Encoder {
        private final Class<?> raw;
        private final IntFunction<Map<Object, Object>> factory;
        private final Encoder key;
        private final Encoder value;
        private final String label;

        MapEncoder(Class<?> raw, IntFunction<Map<Object, Object>> factory, Encoder key, Encoder value) {
            this.raw = raw;
            this.factory = factory;
            this.key = key;
            this.value = value;
            this.label = raw.getSimpleName() + " size";
        }

        @Override
        void write(ByteSink out, Object v) {
            if (v == null) {
                out.writeByte(0);
                return;
            }
            Map<?, ?> m = (Map<?, ?>) v;
            int n = m.size();
            out.writeVarInt(n + 1);
            int written = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                key.write(out, e.getKey());
                value.write(out, e.getValue());
                written++;
            }
            if (written != n) {
                throw new CodecException(raw.getSimpleName() + " changed size while being encoded");
            }
        }

        @Override
        Object read(ByteSource in) {
            int n = in.readLength(label, 2);
            if (n < 0) {
                return null;
            }
            Map<Object, Object> m = factory.apply(n);
            for (int i = 0; i < n; i++) {
                Object k = key.read(in);
                Object v = value.read(in);
                int before = m.size();
                try {
                    m.put(k, v);
                } catch (RuntimeException ex) {
                    throw rejected(raw, "entry", in.position(), ex);
                }
                if (m.size() == before) {
                    throw new CodecException("duplicate key in a " + raw.getSimpleName() + " before offset " + in.position());
                }
            }
            return m;
        }
    }
}
