package io.derecho.bench.jgroupsrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The final check of the JGroups RPC benchmark, and the sink it counts with. */
class SinkCountsTest {

  @Test
  void acceptsOnlyMembersThatCountedExactlyTheAcknowledgedCallsAndBytes() {
    Map<String, Long> three = Map.of("m0", 5L, "m1", 5L, "m2", 5L);
    Map<String, Long> bytes = Map.of("m0", 500L, "m1", 500L, "m2", 500L);
    assertThat(new SinkCounts(5, 500, three, bytes).problem(3)).isNull();

    assertThat(new SinkCounts(5, 500, Map.of("m0", 5L, "m1", 4L, "m2", 5L), bytes).problem(3))
        .contains("members disagree").contains("calls");
    assertThat(new SinkCounts(6, 500, three, bytes).problem(3)).contains("6 were acknowledged");
    assertThat(new SinkCounts(5, 500, three, Map.of("m0", 500L, "m1", 500L, "m2", 400L)).problem(3))
        .contains("bytes");
    assertThat(new SinkCounts(5, 500, Map.of("m0", 5L, "m1", 5L), bytes).problem(3))
        .contains("from 3 members");
  }

  @Test
  void sinkCountsCallsAndBytesThroughTheMethodIds() throws Exception {
    CountingSink sink = new CountingSink();
    assertThat(CountingSink.INVOKER.invoke(sink, CountingSink.APPLY, new Object[] {new byte[7]}))
        .isEqualTo(1L);
    assertThat(CountingSink.INVOKER.invoke(sink, CountingSink.APPLY, new Object[] {new byte[3]}))
        .isEqualTo(2L);
    assertThat(CountingSink.INVOKER.invoke(sink, CountingSink.CALLS, new Object[0])).isEqualTo(2L);
    assertThat(CountingSink.INVOKER.invoke(sink, CountingSink.BYTES, new Object[0])).isEqualTo(10L);
  }
}
