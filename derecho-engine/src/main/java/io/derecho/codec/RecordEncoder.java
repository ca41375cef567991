package io.derecho.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/**
 * A record: a presence byte, then its components in declaration order, each with the encoder of
 * its (generic) type; nothing else, so adding, removing or reordering components changes the
 * format. Accessors and the canonical constructor become method handles once, when the encoder
 * is built; primitive components are read through handles typed for them, so writing them does
 * not box.
 */
final class RecordEncoder extends Encoder.Present {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private final Class<?> type;
    private final Component[] components;
    /** {@code (Object[]) -> Object}: the canonical constructor, spread. */
    private final MethodHandle constructor;

    private RecordEncoder(Class<?> type, Component[] components, MethodHandle constructor) {
        this.type = type;
        this.components = components;
        this.constructor = constructor;
    }

    /** {@code encoders[i]} is the encoder of component {@code i}'s resolved generic type. */
    static RecordEncoder create(Class<?> type, Encoder[] encoders) {
        RecordComponent[] rc = type.getRecordComponents();
        Component[] components = new Component[rc.length];
        Class<?>[] parameterTypes = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            parameterTypes[i] = rc[i].getType();
            Method accessor = rc[i].getAccessor();
            MethodHandle getter = accessible(type, () -> {
                accessor.setAccessible(true);
                return LOOKUP.unreflect(accessor);
            });
            components[i] = Component.of(rc[i].getName(), rc[i].getType(), getter, encoders[i]);
        }
        MethodHandle constructor = accessible(type, () -> {
            Constructor<?> c = type.getDeclaredConstructor(parameterTypes);
            c.setAccessible(true);
            return LOOKUP.unreflectConstructor(c)
                    .asSpreader(Object[].class, rc.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        });
        return new RecordEncoder(type, components, constructor);
    }

    @Override
    void writeValue(ByteSink out, Object value) {
        type.cast(value);
        for (Component c : components) {
            c.write(out, value);
        }
    }

    @Override
    Object readValue(ByteSource in) {
        Component[] cs = components;
        Object[] args = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            try {
                args[i] = cs[i].encoder.read(in);
            } catch (CodecException e) {
                throw new CodecException(e.getMessage() + ", in " + type.getSimpleName() + "." + cs[i].name, e);
            }
        }
        try {
            return constructor.invokeExact(args);
        } catch (RuntimeException e) {
            throw new CodecException(type.getName() + " rejected the decoded components before offset "
                    + in.position() + ": " + e, e);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new CodecException(type.getName() + " constructor failed: " + e, e);
        }
    }

    private interface Reflective<T> {
        T get() throws ReflectiveOperationException;
    }

    private static <T> T accessible(Class<?> type, Reflective<T> action) {
        try {
            return action.get();
        } catch (InaccessibleObjectException | ReflectiveOperationException e) {
            throw new CodecException("cannot access record " + type.getName() + " (" + e.getMessage() + "); in a named "
                    + "module, open its package to the module of io.derecho.codec", e);
        }
    }

    /** One component: how to get it from the record and write it. */
    abstract static class Component {
        final String name;
        final Encoder encoder;

        Component(String name, Encoder encoder) {
            this.name = name;
            this.encoder = encoder;
        }

        abstract void write(ByteSink out, Object record);

        static Component of(String name, Class<?> raw, MethodHandle getter, Encoder encoder) {
            MethodHandle g = getter.asType(MethodType.methodType(raw.isPrimitive() ? raw : Object.class, Object.class));
            if (raw == int.class) {
                return new Component(name, encoder) {
                    void write(ByteSink out, Object record) {
                        out.writeSignedVarInt(invokeInt(g, record));
                    }
                };
            }
            if (raw == long.class) {
                return new Component(name, encoder) {
                    void write(ByteSink out, Object record) {
                        out.writeSignedVarLong(invokeLong(g, record));
                    }
                };
            }
            if (raw == double.class) {
                return new Component(name, encoder) {
                    void write(ByteSink out, Object record) {
                        out.writeDouble(invokeDouble(g, record));
                    }
                };
            }
            if (raw == boolean.class) {
                return new Component(name, encoder) {
                    void write(ByteSink out, Object record) {
                        out.writeBoolean(invokeBoolean(g, record));
                    }
                };
            }
            // Other primitives are rare enough to go boxed through their Scalars encoder.
            MethodHandle boxed = raw.isPrimitive() ? g.asType(MethodType.methodType(Object.class, Object.class)) : g;
            return new Component(name, encoder) {
                void write(ByteSink out, Object record) {
                    encoder.write(out, invokeObject(boxed, record));
                }
            };
        }
    }

    // invokeExact needs the exact static types at the call site, hence one helper per shape.

    private static int invokeInt(MethodHandle g, Object record) {
        try {
            return (int) g.invokeExact(record);
        } catch (Throwable t) {
            throw accessorFailed(t);
        }
    }

    private static long invokeLong(MethodHandle g, Object record) {
        try {
            return (long) g.invokeExact(record);
        } catch (Throwable t) {
            throw accessorFailed(t);
        }
    }

    private static double invokeDouble(MethodHandle g, Object record) {
        try {
            return (double) g.invokeExact(record);
        } catch (Throwable t) {
            throw accessorFailed(t);
        }
    }

    private static boolean invokeBoolean(MethodHandle g, Object record) {
        try {
            return (boolean) g.invokeExact(record);
        } catch (Throwable t) {
            throw accessorFailed(t);
        }
    }

    private static Object invokeObject(MethodHandle g, Object record) {
        try {
            return (Object) g.invokeExact(record);
        } catch (Throwable t) {
            throw accessorFailed(t);
        }
    }

    private static RuntimeException accessorFailed(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new CodecException("record accessor failed: " + t, t);
    }
}
