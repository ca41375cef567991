package io.derecho.bench.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.ratis.conf.RaftProperties;
import org.junit.jupiter.api.Test;

/** In-process checks of the benchmark's configuration and warm-up rule. */
class RatisPartsTest {

  @Test
  void warmUpStopsOnlyOnAPlateauNotOnASlowClimb() {
    assertThat(RatisBenchmark.settled(List.of(1000.0, 1050.0))).isFalse();
    assertThat(RatisBenchmark.settled(List.of(363.0, 392.0, 420.0, 460.0))).isFalse();
    assertThat(RatisBenchmark.settled(List.of(100.0, 2000.0, 2100.0, 2050.0))).isTrue();
    assertThat(RatisBenchmark.settled(List.of(0.0, 0.0, 0.0))).isFalse();
  }

  @Test
  void serverPropertiesCarryTheTuningAndOverridesWin() {
    RaftProperties p = RatisSettings.serverProperties(RatisSettings.Transport.GRPC,
        Path.of("/tmp/x"), "127.0.0.1", 4000,
        Map.of("raft.server.log.log-metadata.enabled", "true"));
    assertThat(p.get("raft.grpc.server.port")).isEqualTo("4000");
    assertThat(p.get("raft.server.log.unsafe-flush.enabled")).isEqualTo("true");
    assertThat(p.get("raft.server.log.log-metadata.enabled")).isEqualTo("true");
    assertThat(p.get("raft.grpc.flow.control.window")).isEqualTo("8MB");

    RaftProperties netty = RatisSettings.serverProperties(RatisSettings.Transport.NETTY,
        Path.of("/tmp/x"), "127.0.0.1", 4001, Map.of());
    assertThat(netty.get("raft.netty.server.port")).isEqualTo("4001");
    assertThat(netty.get("raft.rpc.type")).isEqualTo("NETTY");
  }

  @Test
  void clientWindowNeverCapsTheCallers() {
    RaftProperties small = RatisSettings.clientProperties(RatisSettings.Transport.GRPC, 4, Map.of());
    assertThat(small.get("raft.client.async.outstanding-requests.max")).isEqualTo("1024");
    RaftProperties big = RatisSettings.clientProperties(RatisSettings.Transport.GRPC, 5000,
        Map.of());
    assertThat(big.get("raft.client.async.outstanding-requests.max")).isEqualTo("5000");
  }

  @Test
  void badOptionsAreRejectedByName() {
    assertThatThrownBy(() -> RatisSettings.parseOverrides(List.of("foo=1")))
        .hasMessageContaining("raft.KEY=VALUE").hasMessageContaining("foo=1");
    assertThatThrownBy(() -> RatisSettings.parseOverrides(List.of("raft.x")))
        .hasMessageContaining("raft.x");
    assertThatThrownBy(() -> RatisSettings.Transport.parse("udp"))
        .hasMessageContaining("'udp'");
    assertThat(RatisSettings.Transport.parse(" Netty ")).isEqualTo(RatisSettings.Transport.NETTY);
  }
}
