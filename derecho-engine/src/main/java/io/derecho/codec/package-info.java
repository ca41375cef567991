/**
 * Codecs for typed RPC among replicas: arguments, replies and snapshots become bytes according
 * to the declared generic types of a method, which both sides share, so no type information
 * travels.
 *
 * <p>{@link io.derecho.codec.Codec} is the interface the RPC layer uses;
 * {@link io.derecho.codec.BinaryCodec} is the default. Invariants it keeps:
 * <ul>
 *   <li>{@code byte[]} and {@code ByteBuffer} pass through: as a whole message they are the
 *       message, inside one they cost a length prefix and one copy into the buffer.</li>
 *   <li>Decoding rejects any malformed input (truncation, lengths beyond the remaining bytes,
 *       bad presence or boolean bytes, unknown enum names, malformed UTF-8, duplicate set
 *       elements or map keys, bytes left over) with a {@link io.derecho.codec.CodecException};
 *       nothing is allocated for a length before it is checked against the remaining input.</li>
 *   <li>No Java serialization, no class names on the wire; an unsupported type fails when its
 *       encoder is built, with a message saying how to register a {@link io.derecho.codec.TypeCodec}.</li>
 *   <li>The format is fixed by golden-bytes tests: changing it is a visible, deliberate act.</li>
 * </ul>
 */
package io.derecho.codec;
