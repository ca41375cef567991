package io.derecho.bench.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.bench.launch.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A very short run of the real Ratis benchmark: three server JVMs on loopback, 1 and 4 callers
 * for one second each. Whatever the throughput, every replica must hold exactly the sum of the
 * increments the client saw acknowledged, and nothing may be left running or on disk.
 */
class RatisBenchmarkTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void everyReplicaHoldsTheSumOfAcknowledgedIncrementsAndNothingIsLeftBehind() throws Exception {
    // Surefire may start this JVM from a manifest-only jar; the servers need the real classpath.
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    RatisBenchmark.Plan plan = new RatisBenchmark.Plan(3, RatisSettings.Transport.GRPC,
        List.of(1, 4), List.of(100), Duration.ofMillis(500), Duration.ofMillis(200),
        Duration.ofSeconds(1), Duration.ofSeconds(150), "512m", Map.of(), 7L);

    RatisBenchmark.Report report;
    try (ProcessLauncher launcher = new ProcessLauncher(
        ProcessLauncher.newRunDirPath(Path.of("target", "bench-runs-test")), cp)) {
      report = RatisBenchmark.run(plan, launcher, System.err);
      assertThat(launcher.live()).as("server processes left running").isEmpty();
    }

    assertThat(report.error()).isEmpty();
    assertThat(report.rows()).hasSize(2);
    assertThat(report.rows()).extracting(r -> r.outcome().callers()).containsExactly(1, 4);
    for (RatisBenchmark.Row row : report.rows()) {
      assertThat(row.outcome().failures()).as(row.note()).isZero();
      assertThat(row.outcome().writes()).as("writes acknowledged in the window").isPositive();
      assertThat(row.outcome().p99Micros()).isGreaterThanOrEqualTo(row.outcome().p50Micros());
      assertThat(row.check().values()).as(row.note()).hasSize(3)
          .allSatisfy((id, value) -> assertThat(value).isEqualTo(row.check().expected()));
      assertThat(row.ok()).as(row.note()).isTrue();
    }
    RatisBenchmark.CounterCheck last = report.finalCheck();
    assertThat(last.acked()).isGreaterThanOrEqualTo(
        report.rows().stream().mapToLong(r -> r.outcome().writes()).sum());
    // every delta is in [1, 1000]
    assertThat(last.expected()).isBetween(last.acked(), 1000 * last.acked());
    assertThat(last.values()).containsOnlyKeys("n0", "n1", "n2")
        .allSatisfy((id, value) -> assertThat(value).isEqualTo(last.expected()));
    assertThat(report.ok()).isTrue();

    assertThat(report.pids()).hasSize(3);
    for (long pid : report.pids()) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("server pid %d still alive", pid).isFalse();
    }
    assertThat(report.storageRoot()).doesNotExist();
  }
}
