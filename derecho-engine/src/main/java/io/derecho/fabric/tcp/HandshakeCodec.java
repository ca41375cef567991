package io.derecho.fabric.tcp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes the connect handshake (HELLO, WELCOME, REJECT) and the join exchange (JOIN,
 * JOIN_REPLY). All integers are big-endian; strings are a uint16 byte count followed by UTF-8;
 * payloads an int32 byte count followed by opaque bytes. The handshake is not length-prefixed: the
 * magic is the first four bytes on the wire, so a stray client (an HTTP probe, a port scanner, a
 * node of another system) is recognised at once.
 *
 * <pre>
 * HELLO      = magic:int32 version:int16 type:int8=1 groupName:uint16+UTF-8 nodeId:int32
 * WELCOME    = magic:int32 version:int16 type:int8=2 nodeId:int32
 * REJECT     = magic:int32 version:int16 type:int8=3 reason:uint16+UTF-8
 * JOIN       = magic:int32 version:int16 type:int8=4 groupName:uint16+UTF-8 length:int32 payload
 * JOIN_REPLY = magic:int32 version:int16 type:int8=5 length:int32 payload
 * </pre>
 *
 * <p>Who sends what: a member dials with HELLO and gets WELCOME or REJECT. A process that wants to
 * join sends JOIN to any member's listen port and gets zero or more JOIN_REPLY (or one REJECT),
 * then the member closes the connection. JOIN and JOIN_REPLY payloads belong to the membership
 * layer and are at most {@link TcpFabric#MAX_JOIN_BYTES} long.
 *
 * <p>Decoding is incremental: {@link #decode} returns {@code null} until a whole message is
 * buffered, but rejects a bad magic, version, type or payload length as soon as those bytes have
 * arrived.
 */
final class HandshakeCodec {

    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte REJECT = 3;
    static final byte JOIN = 4;
    static final byte JOIN_REPLY = 5;

    /** magic + version + type. */
    static final int PREFIX_BYTES = 7;

    private HandshakeCodec() {
    }

    /** Which end of a connection is decoding: each accepts a different set of messages. */
    enum Side {
        /** The listening member: HELLO or JOIN. */
        ACCEPTOR("HELLO (1) or JOIN (4)"),
        /** A member that dialed with HELLO: WELCOME or REJECT. */
        DIALER("WELCOME (2) or REJECT (3)"),
        /** A process that sent JOIN: JOIN_REPLY or REJECT. */
        JOINER("JOIN_REPLY (5) or REJECT (3)");

        private final String expected;

        Side(String expected) {
            this.expected = expected;
        }

        boolean accepts(int type) {
            return switch (this) {
                case ACCEPTOR -> type == HELLO || type == JOIN;
                case DIALER -> type == WELCOME || type == REJECT;
                case JOINER -> type == JOIN_REPLY || type == REJECT;
            };
        }
    }

    /** A decoded handshake message. */
    sealed interface Message permits Hello, Welcome, Reject, Join, JoinReply {
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

    /** A process that is not a member asks to join; {@code payload} is the membership layer's. */
    record Join(String groupName, byte[] payload) implements Message {
    }

    /** One answer to a JOIN; the acceptor may send several before it closes. */
    record JoinReply(byte[] payload) implements Message {
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
     * @throws IllegalArgumentException if {@code payload} is longer than
     *                                  {@link TcpFabric#MAX_JOIN_BYTES} or the group name longer
     *                                  than 65535 bytes of UTF-8
     */
    static void writeJoin(ByteBuf out, String groupName, byte[] payload) {
        checkPayload("JOIN", payload.length);
        if (groupName.getBytes(StandardCharsets.UTF_8).length > TcpFabricConfig.MAX_GROUP_NAME_BYTES) {
            throw new IllegalArgumentException("group name of a JOIN must be at most "
                    + TcpFabricConfig.MAX_GROUP_NAME_BYTES + " bytes of UTF-8");
        }
        writePrefix(out, JOIN);
        writeString(out, groupName);
        out.writeInt(payload.length);
        out.writeBytes(payload);
    }

    /** @throws IllegalArgumentException if {@code payload} is longer than {@link TcpFabric#MAX_JOIN_BYTES} */
    static void writeJoinReply(ByteBuf out, byte[] payload) {
        checkPayload("JOIN_REPLY", payload.length);
        writePrefix(out, JOIN_REPLY);
        out.writeInt(payload.length);
        out.writeBytes(payload);
    }

    private static void checkPayload(String what, int length) {
        if (length > TcpFabric.MAX_JOIN_BYTES) {
            throw new IllegalArgumentException(what + " payload of " + length
                    + " bytes exceeds the limit of " + TcpFabric.MAX_JOIN_BYTES + " bytes");
        }
    }

    /** {@link #decode(ByteBuf, Side)} on the accepting side if {@code acceptor}, else the dialing side. */
    static Message decode(ByteBuf in, boolean acceptor) throws HandshakeException {
        return decode(in, acceptor ? Side.ACCEPTOR : Side.DIALER);
    }

    /**
     * Decodes one message from {@code in} if it is complete, consuming exactly its bytes;
     * returns {@code null} (consuming nothing) if more bytes are needed.
     *
     * @param side which messages are valid here (see {@link Side})
     * @throws HandshakeException if the bytes seen so far cannot start a valid message
     */
    static Message decode(ByteBuf in, Side side) throws HandshakeException {
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
        if (!side.accepts(type)) {
            throw new HandshakeException("unexpected handshake message type " + type
                    + "; expected " + side.expected);
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
            case JOIN -> {
                if (n < PREFIX_BYTES + 2) {
                    return null;
                }
                int len = in.getUnsignedShort(p);
                if (n < PREFIX_BYTES + 2 + len + 4) {
                    return null;
                }
                String group = readUtf8(in, p + 2, len, "group name");
                int payloadAt = PREFIX_BYTES + 2 + len + 4;
                int length = payloadLength(in, p + 2 + len, "JOIN");
                if (n < payloadAt + length) {
                    return null;
                }
                byte[] payload = new byte[length];
                in.getBytes(r + payloadAt, payload);
                in.skipBytes(payloadAt + length);
                return new Join(group, payload);
            }
            case JOIN_REPLY -> {
                if (n < PREFIX_BYTES + 4) {
                    return null;
                }
                int length = payloadLength(in, p, "JOIN_REPLY");
                if (n < PREFIX_BYTES + 4 + length) {
                    return null;
                }
                byte[] payload = new byte[length];
                in.getBytes(p + 4, payload);
                in.skipBytes(PREFIX_BYTES + 4 + length);
                return new JoinReply(payload);
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

    /** The payload length at {@code index}, checked as soon as it arrives, before the payload. */
    private static int payloadLength(ByteBuf in, int index, String what) throws HandshakeException {
        int length = in.getInt(index);
        if (length < 0) {
            throw new HandshakeException(what + " payload length " + length + " is negative");
        }
        if (length > TcpFabric.MAX_JOIN_BYTES) {
            throw new HandshakeException(what + " payload of " + length
                    + " bytes exceeds the limit of " + TcpFabric.MAX_JOIN_BYTES + " bytes");
        }
        return length;
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
