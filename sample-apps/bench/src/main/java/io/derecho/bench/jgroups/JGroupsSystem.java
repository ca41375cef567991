package io.derecho.bench.jgroups;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.BenchSystem;
import io.derecho.bench.RunResult;
import io.derecho.bench.group.GroupRun;
import io.derecho.bench.group.Payload;
import io.derecho.bench.launch.Ports;
import io.derecho.bench.launch.ProcessLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * JGroups 5.5 total-order multicast (SEQUENCER over TCP) as separate member processes on
 * loopback. Unordered mode drops SEQUENCER (FIFO per sender via NAKACK2).
 */
public final class JGroupsSystem implements BenchSystem {

  public static final String NAME = "jgroups";

  private final String heap;
  private final List<String> extraMemberArgs;

  /** Members with a 1 GiB heap. */
  public JGroupsSystem() {
    this("1g", List.of());
  }

  /**
   * @param heap -Xmx for each member, e.g. {@code 1g}
   * @param extraMemberArgs extra {@code key=value} member arguments, e.g. {@code jg.bundler=tq}
   */
  public JGroupsSystem(String heap, List<String> extraMemberArgs) {
    this.heap = heap;
    this.extraMemberArgs = List.copyOf(extraMemberArgs);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String unsupported(BenchConfig cfg) {
    return cfg.sizeBytes() < Payload.HEADER
        ? "message size must be >= " + Payload.HEADER + " bytes (header)"
        : null;
  }

  @Override
  public RunResult run(BenchConfig cfg, ProcessLauncher launcher) throws Exception {
    String why = unsupported(cfg);
    if (why != null) {
      return RunResult.failed(NAME, cfg, why);
    }
    List<Integer> ports = Ports.freeTcpPorts(cfg.nodes());
    String cluster = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> jvm = new ArrayList<>(List.of(
        "-Xms256m", "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    GroupRun.Spec spec =
        new GroupRun.Spec(
            NAME,
            cfg,
            JGroupsMember.class.getName(),
            jvm,
            (rank, b) -> {
              b.putInts("ports", ports).put("jg.cluster", cluster);
              b.putKeyValues(extraMemberArgs);
            },
            "listening");
    return GroupRun.run(spec, launcher);
  }
}
