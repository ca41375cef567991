package io.derecho.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.bench.jgroups.JGroupsSystem;
import io.derecho.bench.launch.ProcessLauncher;
import io.derecho.bench.tcp.TcpPumpSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the two reference systems end to end through the real launcher: separate member JVMs on
 * loopback, tiny settings.
 */
class ReferenceSystemsTest {

  private static ProcessLauncher launcher;

  @BeforeAll
  static void startLauncher() {
    // Surefire may start this JVM from a manifest-only jar; members need the real classpath.
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    launcher = new ProcessLauncher(
        ProcessLauncher.newRunDirPath(Path.of("target", "bench-runs-test")), cp);
  }

  @AfterAll
  static void stopLauncher() {
    launcher.close();
    assertThat(launcher.live()).as("member processes left running").isEmpty();
  }

  @Test
  @Timeout(value = 75, unit = TimeUnit.SECONDS)
  void jgroupsDeliversEverythingInOneTotalOrder() throws Exception {
    BenchConfig cfg =
        new BenchConfig(3, Senders.ALL, 1024, 3000, 0, true, Duration.ofSeconds(40)).withWarmup(300);

    RunResult r = new JGroupsSystem().run(cfg, launcher);

    assertThat(r.ok()).as(r.note()).isTrue();
    assertThat(r.system()).isEqualTo("jgroups");
    assertThat(r.nodes()).isEqualTo(3);
    assertThat(r.messages()).isEqualTo(9000);
    // one digest for all members (a mismatch would read "differs(k)")
    assertThat(r.orderDigest()).matches("[0-9a-f]{16}");
    assertThat(r.msgsPerSec()).isPositive();
    assertThat(r.mbPerSec()).isPositive();
    assertThat(r.p99Micros()).isGreaterThanOrEqualTo(r.p50Micros());
    assertThat(launcher.live()).isEmpty();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tcpPumpMovesEveryChunkInOrder() throws Exception {
    BenchConfig cfg = new BenchConfig(3, Senders.ALL, 1024, 3000, 0, true, Duration.ofSeconds(30));
    TcpPumpSystem tcp = new TcpPumpSystem();

    RunResult r = tcp.run(cfg, launcher);

    assertThat(r.ok()).as(r.note()).isTrue();
    assertThat(r.nodes()).isEqualTo(2);
    assertThat(r.senders()).isEqualTo(Senders.ONE);
    assertThat(r.messages()).isGreaterThanOrEqualTo(3000);
    // sink and source computed the same digest over the chunk sequence numbers
    assertThat(r.orderDigest()).matches("[0-9a-f]{16}");
    assertThat(r.mbPerSec()).isPositive();
    assertThat(r.p50Micros()).isPositive();
    assertThat(launcher.live()).isEmpty();
  }
}
