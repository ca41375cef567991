package io.derecho.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.derecho.bench.group.DeliveryTracker;
import io.derecho.bench.group.MemberReport;
import io.derecho.bench.group.OrderDigest;
import io.derecho.bench.group.Payload;
import io.derecho.bench.launch.Barrier;
import io.derecho.bench.launch.BarrierClient;
import io.derecho.bench.launch.FlatJson;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.Ports;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Fast in-process checks of the driver's building blocks. */
class BenchPartsTest {

  @Test
  void flatJsonRoundTrips() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a \"quoted\" \\ line\nnext\u0001");
    m.put("n", -42L);
    m.put("d", 2.5);
    m.put("t", true);
    m.put("z", null);
    assertThat(FlatJson.parse(FlatJson.write(m))).isEqualTo(m);
    assertThat(FlatJson.parse(" { } ")).isEmpty();
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":[1]}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizesParseAndFormat() {
    assertThat(Sizes.parseInt("100")).isEqualTo(100);
    assertThat(Sizes.parseInt("1KiB")).isEqualTo(1024);
    assertThat(Sizes.parseInt("10k")).isEqualTo(10240);
    assertThat(Sizes.parseInt("1MiB")).isEqualTo(1 << 20);
    assertThat(Sizes.parseInt("1.5M")).isEqualTo(3 << 19);
    assertThat(Sizes.format(1024)).isEqualTo("1KiB");
    assertThat(Sizes.format(1 << 20)).isEqualTo("1MiB");
    assertThat(Sizes.format(100)).isEqualTo("100B");
    assertThatThrownBy(() -> Sizes.parseInt("1X")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void senderRule() {
    assertThat(Senders.ALL.count(3)).isEqualTo(3);
    assertThat(Senders.HALF.count(3)).isEqualTo(2);
    assertThat(Senders.HALF.count(4)).isEqualTo(2);
    assertThat(Senders.ONE.count(3)).isEqualTo(1);
    assertThat(Senders.ONE.isSender(2, 3)).isTrue();
    assertThat(Senders.ONE.isSender(0, 3)).isFalse();
    assertThat(Senders.HALF.isSender(0, 3)).isFalse();
    assertThat(Senders.HALF.isSender(1, 3)).isTrue();
  }

  @Test
  void configRoundTripsThroughMemberArgs() {
    BenchConfig cfg = new BenchConfig(4, Senders.HALF, 4096, 777, 16, false,
        Duration.ofSeconds(33), Duration.ofMillis(1500), 12);
    MemberArgs.Builder b = MemberArgs.builder();
    cfg.writeTo(b);
    assertThat(BenchConfig.readFrom(MemberArgs.parse(b.toArgs().toArray(String[]::new))))
        .isEqualTo(cfg);
  }

  @Test
  void digestIsOrderSensitive() {
    OrderDigest a = new OrderDigest();
    a.update(1, 0);
    a.update(2, 0);
    OrderDigest b = new OrderDigest();
    b.update(2, 0);
    b.update(1, 0);
    assertThat(a.hex()).isNotEqualTo(b.hex());
  }

  @Test
  void trackerCountsChecksFifoAndReports() {
    BenchConfig cfg = new BenchConfig(2, Senders.ALL, 64, 2, 0, true, Duration.ofSeconds(5));
    DeliveryTracker t = new DeliveryTracker(cfg, 0);
    deliver(t, Payload.data(64, 0, 0));
    deliver(t, Payload.data(64, 1, 0));
    deliver(t, Payload.data(64, 1, 1));
    deliver(t, Payload.data(64, 0, 1));
    deliver(t, Payload.end(0, 2));
    assertThat(t.allEndsSeen()).isFalse();
    deliver(t, Payload.end(1, 2));
    MemberReport r = t.report("x", 2, "");
    assertThat(r.complete()).isTrue();
    assertThat(r.delivered()).isEqualTo(4);
    assertThat(r.bytes()).isEqualTo(256);
    assertThat(r.expected()).isEqualTo(4);
    assertThat(MemberReport.fromMap(FlatJson.parse(FlatJson.write(r.toMap())))).isEqualTo(r);

    DeliveryTracker gap = new DeliveryTracker(cfg, 1);
    deliver(gap, Payload.data(64, 0, 1));
    deliver(gap, Payload.end(0, 2));
    deliver(gap, Payload.end(1, 0));
    MemberReport g = gap.report("x", 0, "");
    assertThat(g.complete()).isFalse();
    assertThat(g.fifoViolations()).isEqualTo(1);
    assertThat(g.note()).contains("delivered 1 of 2");
  }

  @Test
  void barrierReleasesRoundsAndAbortsOnDisconnect() throws Exception {
    try (Barrier barrier = Barrier.open(3)) {
      List<String> log = new CopyOnWriteArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int rank = 0; rank < 3; rank++) {
        int r = rank;
        Thread th = new Thread(() -> {
          try (BarrierClient c = BarrierClient.connect(barrier.address(), r, Duration.ofSeconds(5))) {
            c.await("start", Duration.ofSeconds(10));
            log.add("start" + r);
            c.await("done", Duration.ofSeconds(10));
            log.add("done" + r);
          } catch (Exception e) {
            log.add("error " + e);
          }
        });
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join(15_000);
      }
      assertThat(log).hasSize(6).allMatch(s -> s.startsWith("start") || s.startsWith("done"));
      assertThat(barrier.isReleased("done")).isTrue();
    }

    try (Barrier barrier = Barrier.open(2)) {
      BarrierClient quitter = BarrierClient.connect(barrier.address(), 0, Duration.ofSeconds(5));
      BarrierClient waiter = BarrierClient.connect(barrier.address(), 1, Duration.ofSeconds(5));
      quitter.fail("boom");
      assertThatThrownBy(() -> waiter.await("start", Duration.ofSeconds(10)))
          .isInstanceOf(BarrierClient.BarrierAbortedException.class)
          .hasMessageContaining("boom");
      waiter.close();
    }

    try (Barrier barrier = Barrier.open(2)) {
      BarrierClient waiter = BarrierClient.connect(barrier.address(), 1, Duration.ofSeconds(5));
      // a member that vanishes without BYE (crash): the waiter must not wait forever
      try (Socket crash = new Socket(Ports.LOOPBACK, barrier.port())) {
        crash.getOutputStream().write("HELLO 0\n".getBytes(StandardCharsets.UTF_8));
        crash.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> barrier.connected() == 2);
      }
      assertThatThrownBy(() -> waiter.await("start", Duration.ofSeconds(10)))
          .isInstanceOf(BarrierClient.BarrierAbortedException.class);
      waiter.close();
    }
  }

  private static void deliver(DeliveryTracker t, byte[] msg) {
    t.deliver(msg, 0, msg.length);
  }
}
