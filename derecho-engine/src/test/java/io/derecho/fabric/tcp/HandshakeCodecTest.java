package io.derecho.fabric.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.fabric.tcp.HandshakeCodec.HandshakeException;
import io.derecho.fabric.tcp.HandshakeCodec.Hello;
import io.derecho.fabric.tcp.HandshakeCodec.Join;
import io.derecho.fabric.tcp.HandshakeCodec.JoinReply;
import io.derecho.fabric.tcp.HandshakeCodec.Reject;
import io.derecho.fabric.tcp.HandshakeCodec.Side;
import io.derecho.fabric.tcp.HandshakeCodec.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pins the handshake encodings byte for byte, and checks the decoder on every kind of bad input. */
@Timeout(10)
class HandshakeCodecTest {

    private static String encode(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        writer.accept(buf);
        return ByteBufUtil.hexDump(buf);
    }

    private static ByteBuf bytes(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void helloGoldenBytes() {
        assertThat(encode(b -> HandshakeCodec.writeHello(b, "g\u00e9", 3)))
                .isEqualTo("44524543" + "0001" + "01" + "0003" + "67c3a9" + "00000003");
    }

    @Test
    void welcomeGoldenBytes() {
        assertThat(encode(b -> HandshakeCodec.writeWelcome(b, 258)))
                .isEqualTo("44524543" + "0001" + "02" + "00000102");
    }

    @Test
    void rejectGoldenBytes() {
        assertThat(encode(b -> HandshakeCodec.writeReject(b, "no")))
                .isEqualTo("44524543" + "0001" + "03" + "0002" + "6e6f");
    }

    @Test
    void magicSpellsDrec() {
        assertThat(encode(b -> b.writeInt(TcpFabric.MAGIC))).isEqualTo(HexFormat.of().formatHex("DREC".getBytes()));
    }

    @Test
    void decodesWhatItEncodesAndConsumesExactlyOneMessage() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        HandshakeCodec.writeHello(buf, "group-\u00e9", 7);
        buf.writeByte(0x55); // the start of whatever follows
        assertThat(HandshakeCodec.decode(buf, true)).isEqualTo(new Hello("group-\u00e9", 7));
        assertThat(buf.readableBytes()).isEqualTo(1);

        ByteBuf welcome = Unpooled.buffer();
        HandshakeCodec.writeWelcome(welcome, 42);
        assertThat(HandshakeCodec.decode(welcome, false)).isEqualTo(new Welcome(42));
        assertThat(welcome.readableBytes()).isZero();

        ByteBuf reject = Unpooled.buffer();
        HandshakeCodec.writeReject(reject, "group 'x' does not match this node's group 'y'");
        assertThat(HandshakeCodec.decode(reject, false))
                .isEqualTo(new Reject("group 'x' does not match this node's group 'y'"));
    }

    @Test
    void everyProperPrefixIsIncompleteAndConsumesNothing() throws Exception {
        ByteBuf full = Unpooled.buffer();
        HandshakeCodec.writeHello(full, "g", 3);
        for (int n = 0; n < full.readableBytes(); n++) {
            ByteBuf prefix = full.slice(0, n);
            assertThat(HandshakeCodec.decode(prefix, true)).as("prefix of %d bytes", n).isNull();
            assertThat(prefix.readerIndex()).isZero();
        }
    }

    @Test
    void rejectsBadMagicAsSoonAsFourBytesArrive() {
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("47455420"), true))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("not a Derecho peer: bad magic 0x47455420");
    }

    @Test
    void rejectsOtherProtocolVersion() {
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0007"), true))
                .hasMessage("protocol version 7 not supported; this node speaks 1");
    }

    @Test
    void rejectsWrongMessageTypeForTheSide() {
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 02"), true))
                .hasMessage("unexpected handshake message type 2; expected HELLO (1) or JOIN (4)");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 01"), false))
                .hasMessage("unexpected handshake message type 1; expected WELCOME (2) or REJECT (3)");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 ff"), false))
                .hasMessage("unexpected handshake message type 255; expected WELCOME (2) or REJECT (3)");
    }

    @Test
    void rejectsGroupNameThatIsNotUtf8() {
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 01 0002 c328 00000001"), true))
                .hasMessage("group name is not valid UTF-8");
    }

    @Test
    void longRejectReasonIsCutToValidUtf8() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        HandshakeCodec.writeReject(buf, "\u00e9".repeat(40_000)); // 80,000 bytes of UTF-8
        Reject reject = (Reject) HandshakeCodec.decode(buf, false);
        assertThat(reject.reason()).isEqualTo("\u00e9".repeat(32_767));
    }

    /** Random input, often behind a valid prefix: the decoder answers null, a message or a clear error. */
    @Test
    void fuzzedInputNeverEscapesAsAnythingButHandshakeException() {
        SplittableRandom random = new SplittableRandom(20_240_601L);
        byte[] validPrefix = HexFormat.of().parseHex("445245430001");
        int errors = 0;
        int messages = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            ByteBuf buf = Unpooled.buffer();
            if (random.nextBoolean()) {
                buf.writeBytes(validPrefix);
                buf.writeByte(1 + random.nextInt(3));
            }
            buf.writeBytes(junk);
            boolean expectHello = random.nextBoolean();
            int before = buf.readableBytes();
            try {
                if (HandshakeCodec.decode(buf, expectHello) != null) {
                    messages++;
                    assertThat(buf.readableBytes()).isLessThan(before);
                } else {
                    assertThat(buf.readableBytes()).isEqualTo(before);
                }
            } catch (HandshakeException e) {
                errors++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(errors).isPositive();
        assertThat(messages).isPositive();
    }

    // ---------------------------------------------------------------- JOIN and JOIN_REPLY

    @Test
    void joinGoldenBytes() {
        assertThat(encode(b -> HandshakeCodec.writeJoin(b, "g\u00e9", new byte[] {1, 2, 3})))
                .isEqualTo("44524543" + "0001" + "04" + "0003" + "67c3a9" + "00000003" + "010203");
        assertThat(encode(b -> HandshakeCodec.writeJoin(b, "g", new byte[0])))
                .isEqualTo("44524543" + "0001" + "04" + "0001" + "67" + "00000000");
    }

    @Test
    void joinReplyGoldenBytes() {
        assertThat(encode(b -> HandshakeCodec.writeJoinReply(b, new byte[] {0x0a, 0x0b})))
                .isEqualTo("44524543" + "0001" + "05" + "00000002" + "0a0b");
        assertThat(encode(b -> HandshakeCodec.writeJoinReply(b, new byte[0])))
                .isEqualTo("44524543" + "0001" + "05" + "00000000");
    }

    @Test
    void decodesJoinAndJoinReplyConsumingExactlyOneMessage() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        HandshakeCodec.writeJoin(buf, "group-\u00e9", new byte[] {9, 8, 7});
        buf.writeByte(0x55);
        Join join = (Join) HandshakeCodec.decode(buf, Side.ACCEPTOR);
        assertThat(join.groupName()).isEqualTo("group-\u00e9");
        assertThat(join.payload()).containsExactly(9, 8, 7);
        assertThat(buf.readableBytes()).isEqualTo(1);

        ByteBuf replies = Unpooled.buffer();
        HandshakeCodec.writeJoinReply(replies, new byte[] {1});
        HandshakeCodec.writeJoinReply(replies, new byte[0]);
        HandshakeCodec.writeReject(replies, "bye");
        assertThat(((JoinReply) HandshakeCodec.decode(replies, Side.JOINER)).payload()).containsExactly(1);
        assertThat(((JoinReply) HandshakeCodec.decode(replies, Side.JOINER)).payload()).isEmpty();
        assertThat(HandshakeCodec.decode(replies, Side.JOINER)).isEqualTo(new Reject("bye"));
        assertThat(replies.readableBytes()).isZero();
    }

    @Test
    void everyProperPrefixOfJoinAndJoinReplyIsIncompleteAndConsumesNothing() throws Exception {
        ByteBuf join = Unpooled.buffer();
        HandshakeCodec.writeJoin(join, "g", new byte[] {1, 2, 3});
        ByteBuf reply = Unpooled.buffer();
        HandshakeCodec.writeJoinReply(reply, new byte[] {4, 5});
        for (var c : List.of(Map.entry(join, Side.ACCEPTOR), Map.entry(reply, Side.JOINER))) {
            ByteBuf full = c.getKey();
            for (int n = 0; n < full.readableBytes(); n++) {
                ByteBuf prefix = full.slice(0, n);
                assertThat(HandshakeCodec.decode(prefix, c.getValue())).as("prefix of %d bytes", n).isNull();
                assertThat(prefix.readerIndex()).isZero();
            }
        }
    }

    @Test
    void rejectsJoinPayloadLengthsOverTheLimitOrNegativeAsSoonAsTheyArrive() {
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 04 0001 67 00100001"), Side.ACCEPTOR))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("JOIN payload of 1048577 bytes exceeds the limit of 1048576 bytes");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 04 0001 67 ffffffff"), Side.ACCEPTOR))
                .hasMessage("JOIN payload length -1 is negative");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 05 7fffffff"), Side.JOINER))
                .hasMessage("JOIN_REPLY payload of 2147483647 bytes exceeds the limit of 1048576 bytes");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 05 80000000"), Side.JOINER))
                .hasMessage("JOIN_REPLY payload length -2147483648 is negative");
    }

    @Test
    void writersRefuseJoinPayloadsOverTheLimit() {
        byte[] tooBig = new byte[TcpFabric.MAX_JOIN_BYTES + 1];
        assertThatThrownBy(() -> HandshakeCodec.writeJoin(Unpooled.buffer(), "g", tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JOIN payload of 1048577 bytes exceeds the limit of 1048576 bytes");
        assertThatThrownBy(() -> HandshakeCodec.writeJoinReply(Unpooled.buffer(), tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JOIN_REPLY payload of 1048577 bytes exceeds the limit of 1048576 bytes");
    }

    @Test
    void joinMessagesAreValidOnlyOnTheirSide() {
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 04"), Side.DIALER))
                .hasMessage("unexpected handshake message type 4; expected WELCOME (2) or REJECT (3)");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 05"), Side.ACCEPTOR))
                .hasMessage("unexpected handshake message type 5; expected HELLO (1) or JOIN (4)");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 02"), Side.JOINER))
                .hasMessage("unexpected handshake message type 2; expected JOIN_REPLY (5) or REJECT (3)");
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 06"), Side.ACCEPTOR))
                .hasMessage("unexpected handshake message type 6; expected HELLO (1) or JOIN (4)");
    }

    @Test
    void rejectsJoinGroupNameThatIsNotUtf8() {
        assertThatThrownBy(() -> HandshakeCodec.decode(bytes("44524543 0001 04 0002 c328 00000000"), Side.ACCEPTOR))
                .hasMessage("group name is not valid UTF-8");
    }

    /** As the fuzz test above, over all five message types and all three sides. */
    @Test
    void fuzzedInputOnEverySideNeverEscapesAsAnythingButHandshakeException() {
        SplittableRandom random = new SplittableRandom(20_250_101L);
        byte[] validPrefix = HexFormat.of().parseHex("445245430001");
        int errors = 0;
        int messages = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            ByteBuf buf = Unpooled.buffer();
            if (random.nextInt(4) != 0) {
                buf.writeBytes(validPrefix);
                buf.writeByte(1 + random.nextInt(5));
                if (random.nextBoolean()) {
                    buf.writeShort(random.nextInt(8)); // a short group name or reason
                }
                if (random.nextBoolean()) {
                    buf.writeInt(random.nextInt(-2, 16)); // a plausible payload length or node id
                }
            }
            buf.writeBytes(junk);
            Side side = Side.values()[random.nextInt(3)];
            int before = buf.readableBytes();
            try {
                if (HandshakeCodec.decode(buf, side) != null) {
                    messages++;
                    assertThat(buf.readableBytes()).isLessThan(before);
                } else {
                    assertThat(buf.readableBytes()).isEqualTo(before);
                }
            } catch (HandshakeException e) {
                errors++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(errors).isPositive();
        assertThat(messages).isPositive();
    }
}
