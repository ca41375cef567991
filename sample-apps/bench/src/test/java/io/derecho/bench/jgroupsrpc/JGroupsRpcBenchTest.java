package io.derecho.bench.jgroupsrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A very short run of the real JGroups RPC benchmark: two member JVMs plus this one on loopback,
 * 1 and 4 callers for one second each with 100 B arguments. Whatever the throughput, every
 * member must have run exactly the calls the callers saw acknowledged, and no member process may
 * be left running.
 */
class JGroupsRpcBenchTest {

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void everyMemberRunsEveryAcknowledgedCallAndNoProcessIsLeft() throws Exception {
    // Surefire may start this JVM from a manifest-only jar; the members need the real classpath.
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    JGroupsRpcBench.Plan plan = new JGroupsRpcBench.Plan(Duration.ofSeconds(1),
        Duration.ofMillis(200), Duration.ofMillis(500), List.of(1, 4), List.of(100), cp,
        Path.of("target", "jgroups-rpc-test"), Duration.ofSeconds(120));

    JGroupsRpcBench.Report report = JGroupsRpcBench.run(plan, System.err);

    assertThat(report.rows()).extracting(JGroupsRpcBench.Row::callers).containsExactly(1, 4);
    for (JGroupsRpcBench.Row row : report.rows()) {
      assertThat(row.calls()).as(row.what()).isPositive();
      assertThat(row.p99us()).as(row.what()).isGreaterThanOrEqualTo(row.p50us());
    }
    SinkCounts counts = report.counts();
    assertThat(counts.expectedCalls())
        .isGreaterThanOrEqualTo(report.rows().stream().mapToLong(JGroupsRpcBench.Row::calls).sum());
    assertThat(counts.expectedBytes()).isEqualTo(100 * counts.expectedCalls());
    assertThat(counts.calls()).hasSize(3).allSatisfy(
        (member, calls) -> assertThat(calls).as(member).isEqualTo(counts.expectedCalls()));
    assertThat(counts.bytes()).hasSize(3).allSatisfy(
        (member, bytes) -> assertThat(bytes).as(member).isEqualTo(counts.expectedBytes()));
    assertThat(counts.problem(3)).isNull();

    assertThat(report.pids()).hasSize(2);
    for (long pid : report.pids()) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("member pid %d still alive", pid).isFalse();
    }
  }
}
