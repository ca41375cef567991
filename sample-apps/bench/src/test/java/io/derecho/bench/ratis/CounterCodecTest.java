package io.derecho.bench.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.bench.ratis.CounterCodec.CounterState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CounterCodecTest {

  @Test
  void incrementIsPaddedToTheArgumentSizeAndKeepsItsDelta() {
    byte[] m = CounterCodec.increment(-12345L, 10 * 1024);
    assertThat(m).hasSize(10 * 1024);
    assertThat(CounterCodec.decodeIncrement(ByteBuffer.wrap(m))).isEqualTo(-12345L);
    assertThat(CounterCodec.requestOp(ByteBuffer.wrap(m))).isEqualTo(CounterCodec.OP_INCREMENT);
    assertThat(CounterCodec.increment(7, CounterCodec.MIN_INCREMENT_SIZE))
        .hasSize(CounterCodec.MIN_INCREMENT_SIZE);
  }

  @Test
  void bytesArePinned() {
    assertThat(CounterCodec.increment(1, 16)).containsExactly(
        0x52, 0x43, 0x4E, 0x54, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0);
    assertThat(CounterCodec.get()).containsExactly(0x52, 0x43, 0x4E, 0x54, 1, 2);
    assertThat(CounterCodec.getReply(new CounterState(2, 3))).containsExactly(
        0x52, 0x43, 0x4E, 0x54, 1, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3);
  }

  @Test
  void repliesRoundTrip() {
    assertThat(CounterCodec.decodeIncrementReply(ByteBuffer.wrap(CounterCodec.incrementReply(99))))
        .isEqualTo(99);
    CounterState s = new CounterState(Long.MAX_VALUE, 42);
    assertThat(CounterCodec.decodeGetReply(ByteBuffer.wrap(CounterCodec.getReply(s)))).isEqualTo(s);
    CounterCodec.decodeGet(ByteBuffer.wrap(CounterCodec.get()));
  }

  @Test
  void malformedInputIsRejectedWithTheReason() {
    byte[] inc = CounterCodec.increment(5, 100);
    assertThatThrownBy(() -> CounterCodec.decodeIncrement(ByteBuffer.wrap(inc, 0, 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
    byte[] badMagic = inc.clone();
    badMagic[0] = 0;
    assertThatThrownBy(() -> CounterCodec.decodeIncrement(ByteBuffer.wrap(badMagic)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magic");
    byte[] badVersion = inc.clone();
    badVersion[4] = 9;
    assertThatThrownBy(() -> CounterCodec.decodeIncrement(ByteBuffer.wrap(badVersion)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    byte[] badOp = inc.clone();
    badOp[5] = 7;
    assertThatThrownBy(() -> CounterCodec.requestOp(ByteBuffer.wrap(badOp)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("op 7");
    assertThatThrownBy(() -> CounterCodec.decodeGet(ByteBuffer.wrap(inc)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 2");
    byte[] longGet = Arrays.copyOf(CounterCodec.get(), 8);
    assertThatThrownBy(() -> CounterCodec.decodeGet(ByteBuffer.wrap(longGet)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> CounterCodec.increment(1, CounterCodec.MIN_INCREMENT_SIZE - 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimum");
    assertThatThrownBy(() -> CounterCodec.decodeGetReply(ByteBuffer.wrap(CounterCodec.incrementReply(1))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
