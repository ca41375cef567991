package io.derecho.fabric.tcp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes the connect handshake (HELLO, WELCOME, REJECT). All integers are big-endian;
 * strings are a uint16 byte count followed by UTF-8. The handshake is not length-prefixed: the
 * magic is the first four bytes on the wire, so a stray client (an HTTP probe, a port scanner, a
 * node of another system) is recognised at once.
 *
 * <pre>
 * HELLO   = magic:int32 version:int16 type:int8=1 groupName:uint16+UTF-8 nodeId:int32
 * WELCOME = magic:int32 version:int16 type:int8=2 nodeId:int32
 * REJECT  = magic:int32 version:int16 type:int8=3 reason:uint16+UTF-8
 * </pre>
 *
 * <p>Decoding is incremental: {@link #decode} returns {@code null} until a whole message is
 * buffered, but rejects a bad magic, version or type as soon as those bytes have arrived.
 */
final class HandshakeCodec {

    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte REJECT = 3;

    /** magic + version + type. */
    static final int PREFIX_BYTES = 7;

    private HandshakeCodec() {
    }

    /** A decoded handshake message. */
    sealed interface Message permits Hello, Welcome, Reject {
    }

    /** The dialer introduces itself. */
    record Hello(String groupName, int nodeId) implements Message {
    }

    /** The acceptor takes the link; {@code nodeId} lets the dialer check it reached the right node. */
    record Welcome(int nodeId) implements Message {
    }

    /** The acceptor refuses the link and then closes it. */
    record Reject(String reason) implements Message {
    }

    /** Malformed or unacceptable handshake input; the message is meant for people. */
    static final class HandshakeException extends Exception {
        HandshakeException(String message) {
            super(message, null, false, false);
        }
    }

    static void writeHello(ByteBuf out, String groupName, int nodeId) {
        writePrefix(out, HELLO);
        writeString(out, groupName);
        out.writeInt(nodeId);
    }

    static void writeWelcome(ByteBuf out, int nodeId) {
        writePrefix(out, WELCOME);
        out.writeInt(nodeId);
    }

    static void writeReject(ByteBuf out, String reason) {
        writePrefix(out, REJECT);
        writeString(out, reason);
    }

    /**
     * Decodes one message from {@code in} if it is complete, consuming exactly its bytes;
     * returns {@code null} (consuming nothing) if more bytes are needed.
     *
     * @param expectHello true on the accepting side (only HELLO is valid), false on the dialing
     *                    side (only WELCOME or REJECT are valid)
     * @throws HandshakeException if the bytes seen so far cannot start a valid message
     */
    static Message decode(ByteBuf in, boolean expectHello) throws HandshakeException {
        int r = in.readerIndex();
        int n = in.readableBytes();
        if (n < 4) {
            return null;
        }
        int magic = in.getInt(r);
        if (magic != TcpFabric.MAGIC) {
            throw new HandshakeException(
                    String.format("not a Derecho peer: bad magic 0x%08x", magic));
        }
        if (n < 6) {
            return null;
        }
        short version = in.getShort(r + 4);
        if (version != TcpFabric.PROTOCOL_VERSION) {
            throw new HandshakeException("protocol version " + version
                    + " not supported; this node speaks " + TcpFabric.PROTOCOL_VERSION);
        }
        if (n < PREFIX_BYTES) {
            return null;
        }
        int type = in.getUnsignedByte(r + 6);
        if (expectHello ? type != HELLO : type != WELCOME && type != REJECT) {
            throw new HandshakeException("unexpected handshake message type " + type
                    + (expectHello ? "; expected HELLO (1)" : "; expected WELCOME (2) or REJECT (3)"));
        }
        int p = r + PREFIX_BYTES;
        switch (type) {
            case HELLO -> {
                if (n < PREFIX_BYTES + 2) {
                    return null;
                }
                int len = in.getUnsignedShort(p);
                if (n < PREFIX_BYTES + 2 + len + 4) {
                    return null;
                }
                String group = readUtf8(in, p + 2, len, "group name");
                int nodeId = in.getInt(p + 2 + len);
                in.skipBytes(PREFIX_BYTES + 2 + len + 4);
                return new Hello(group, nodeId);
            }
            case WELCOME -> {
                if (n < PREFIX_BYTES + 4) {
                    return null;
                }
                int nodeId = in.getInt(p);
                in.skipBytes(PREFIX_BYTES + 4);
                return new Welcome(nodeId);
            }
            default -> {
                if (n < PREFIX_BYTES + 2) {
                    return null;
                }
                int len = in.getUnsignedShort(p);
                if (n < PREFIX_BYTES + 2 + len) {
                    return null;
                }
                String reason = readUtf8(in, p + 2, len, "reject reason");
                in.skipBytes(PREFIX_BYTES + 2 + len);
                return new Reject(reason);
            }
        }
    }

    private static void writePrefix(ByteBuf out, byte type) {
        out.writeInt(TcpFabric.MAGIC);
        out.writeShort(TcpFabric.PROTOCOL_VERSION);
        out.writeByte(type);
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int len = utf8.length;
        if (len > 0xFFFF) {
            // Only reasons can get here (group names are bounded by the config); cut at a
            // character boundary so the peer still decodes valid UTF-8.
            len = 0xFFFF;
            while ((utf8[len] & 0xC0) == 0x80) {
                len--;
            }
        }
        out.writeShort(len);
        out.writeBytes(utf8, 0, len);
    }

    private static String readUtf8(ByteBuf in, int index, int len, String what)
            throws HandshakeException {
        ByteBuffer bytes = in.nioBuffer(index, len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HandshakeException(what + " is not valid UTF-8");
        }
    }
}
