package io.derecho.codec;

/**
 * A hand-written encoding for one class the default codec cannot handle by itself (a plain class
 * that is not a record, an interface, a third-party type), registered with
 * {@link BinaryCodec.Builder#register}. The codec writes a presence byte around it, so
 * {@code write} never sees null; {@code read} must consume exactly what {@code write} produced
 * and should signal bad input with {@link CodecException} (any other runtime exception it throws
 * is wrapped in one).
 */
public interface TypeCodec<T> {
    void write(T value, ByteSink out);

    T read(ByteSource in);
}
