package io.derecho.codec;

import java.lang.reflect.Array;
import java.util.Map;

/**
 * Arrays: {@code varint(length + 1)} (0 for null), then the elements. Primitive elements are
 * fixed-width and big-endian (a bulk copy beats a varint per element, and the size is known up
 * front); booleans are one byte each, 0 or 1; object elements use their own encoder.
 */
final class ArrayEncoders {
    private ArrayEncoders() {
    }

    static void registerPrimitiveArrays(Map<Class<?>, Encoder> map) {
        map.put(boolean[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (writeLength(out, v)) {
                    for (boolean b : (boolean[]) v) {
                        out.writeByte(b ? 1 : 0);
                    }
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("boolean[]", 1);
                if (n < 0) {
                    return null;
                }
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readBoolean();
                }
                return a;
            }
        });
        map.put(short[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (writeLength(out, v)) {
                    out.writeShorts((short[]) v);
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("short[]", 2);
                return n < 0 ? null : in.readShorts(n);
            }
        });
        map.put(char[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (writeLength(out, v)) {
                    out.writeChars((char[]) v);
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("char[]", 2);
                return n < 0 ? null : in.readChars(n);
            }
        });
        map.put(int[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (writeLength(out, v)) {
                    out.writeInts((int[]) v);
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("int[]", 4);
                return n < 0 ? null : in.readInts(n);
            }
        });
        map.put(long[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (writeLength(out, v)) {
                    out.writeLongs((long[]) v);
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("long[]", 8);
                return n < 0 ? null : in.readLongs(n);
            }
        });
        map.put(float[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (writeLength(out, v)) {
                    out.writeFloats((float[]) v);
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("float[]", 4);
                return n < 0 ? null : in.readFloats(n);
            }
        });
        map.put(double[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (writeLength(out, v)) {
                    out.writeDoubles((double[]) v);
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("double[]", 8);
                return n < 0 ? null : in.readDoubles(n);
            }
        });
    }

    /** Writes the null marker or {@code length + 1}; true if elements follow. */
    private static boolean writeLength(ByteSink out, Object array) {
        if (array == null) {
            out.writeByte(0);
            return false;
        }
        out.writeVarInt(Array.getLength(array) + 1);
        return true;
    }

    /** An array of references; {@code componentType} is the runtime class new arrays get. */
    static final class ObjectArray extends Encoder {
        private final Class<?> componentType;
        private final Encoder element;
        private final String label;

        ObjectArray(Class<?> componentType, Encoder element) {
            this.componentType = componentType;
            this.element = element;
            this.label = componentType.getName() + "[]";
        }

        @Override
        void write(ByteSink out, Object value) {
            if (value == null) {
                out.writeByte(0);
                return;
            }
            Object[] a = (Object[]) value;
            out.writeVarInt(a.length + 1);
            for (Object e : a) {
                element.write(out, e);
            }
        }

        @Override
        Object read(ByteSource in) {
            int n = in.readLength(label, 1);
            if (n < 0) {
                return null;
            }
            Object[] a = (Object[]) Array.newInstance(componentType, n);
            for (int i = 0; i < n; i++) {
                a[i] = element.read(in);
            }
            return a;
        }
    }
}
