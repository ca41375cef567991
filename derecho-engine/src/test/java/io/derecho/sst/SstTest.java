package io.derecho.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.testing.CapturingEnvironment;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SstTest {
    // Rows of nodes 10 and 20; section 0 (counters, coalesced) everywhere, section 1 held by node 10 only.
    private static List<SectionSpec> sections() {
        return List.of(new SectionSpec(0, 16, new int[] {0, 1}, new int[] {0, 1}, true),
                new SectionSpec(1, 64, new int[] {0}, new int[] {0, 1}, false));
    }

    @Test
    void rowWriteFrameHasPinnedEncoding() {
        Sst sst = new Sst(7, 0, new int[] {10, 20}, sections());
        sst.putLong(0, 8, 0x0102030405060708L);
        CapturingEnvironment env = new CapturingEnvironment();
        sst.push(env);
        assertThat(env.frames).hasSize(1);
        assertThat(env.frames.get(0).to()).isEqualTo(20);
        assertThat(HexFormat.of().formatHex(CapturingEnvironment.bytes(env.frames.get(0).bytes())))
                .isEqualTo("01" + "00000007" + "00000001" + "00000000" + "00000008" + "00000008" + "0102030405060708");
        env.frames.clear();
        sst.push(env);
        assertThat(env.frames).as("nothing dirty, nothing pushed").isEmpty();
    }

    @Test
    void pushedRangesArriveInTheReadersCopyOfTheWritersRow() {
        Sst writer = new Sst(1, 0, new int[] {10, 20}, sections());
        Sst reader = new Sst(1, 1, new int[] {10, 20}, sections());
        writer.putLong(0, 0, 42);
        writer.section(0, 1).put(8, (byte) 9);
        writer.markDirty(1, 8, 1);
        CapturingEnvironment env = new CapturingEnvironment();
        writer.push(env);
        ByteBuffer f = env.frames.get(0).bytes();
        assertThat(f.get()).isEqualTo(Sst.FRAME_ROW_WRITE);
        reader.apply(10, f);
        assertThat(reader.getLong(0, 0, 0)).isEqualTo(42);
        assertThat(reader.section(0, 1).get(8)).isEqualTo((byte) 9);
    }

    @Test
    void malformedRowWritesAreRefusedBeforeAnyByteIsCopied() {
        Sst reader = new Sst(1, 1, new int[] {10, 20}, sections());
        assertThatThrownBy(() -> reader.apply(10, frame(2, 1, 0, 0, 8)))
                .isInstanceOf(MalformedFrameException.class).hasMessage("row write for view 2 from node 10 arrived in view 1");
        assertThatThrownBy(() -> reader.apply(10, frame(1, 1, 5, 0, 8)))
                .hasMessage("row write from node 10 to section 5, which this node does not keep for it");
        assertThatThrownBy(() -> reader.apply(10, frame(1, 1, 0, 12, 8)))
                .hasMessage("row write from node 10 to section 0 at [12, +8) is outside the section (16 bytes) or the frame");
        assertThatThrownBy(() -> reader.apply(30, frame(1, 1, 0, 0, 8)))
                .hasMessage("row write from node 30, which has no row in view 1");
        ByteBuffer truncated = frame(1, 2, 0, 0, 8);
        assertThatThrownBy(() -> reader.apply(10, truncated)).hasMessage("row write from node 10 is truncated");
        assertThat(reader.getLong(0, 0, 0)).as("the valid first write of a bad frame was not applied").isZero();
    }

    /** A row-write frame body (after the type byte) with {@code count} claimed writes but one real one of 0xFF bytes. */
    private static ByteBuffer frame(int view, int count, int section, int offset, int len) {
        ByteBuffer b = ByteBuffer.allocate(12 + 12 + len);
        b.putInt(view).putInt(count).putInt(section).putInt(offset).putInt(len);
        while (b.hasRemaining()) {
            b.put((byte) 0xFF);
        }
        return b.flip();
    }

    @Test
    void predicatesFireByKind() {
        Predicates p = new Predicates();
        boolean[] cond = {false};
        int[] fired = new int[3];
        p.register(Predicates.Kind.ONE_TIME, () -> cond[0], () -> fired[0]++);
        p.register(Predicates.Kind.RECURRENT, () -> cond[0], () -> fired[1]++);
        p.register(Predicates.Kind.TRANSITION, () -> cond[0], () -> fired[2]++);
        p.evaluate();
        cond[0] = true;
        p.evaluate();
        p.evaluate();
        cond[0] = false;
        p.evaluate();
        cond[0] = true;
        p.evaluate();
        assertThat(fired).containsExactly(1, 3, 2);
        assertThat(p.size()).isEqualTo(2);
    }
}
