package io.derecho.bench.jgroups;

import io.derecho.bench.group.GroupBenchSystem;
import io.derecho.bench.launch.MemberArgs;
import java.util.List;
import java.util.UUID;

/**
 * JGroups 5.5 total-order multicast (SEQUENCER over TCP) as separate member processes on
 * loopback. Unordered mode drops SEQUENCER (FIFO per sender via NAKACK2).
 */
public final class JGroupsSystem extends GroupBenchSystem {

  public static final String NAME = "jgroups";

  private final String cluster = "bench-" + UUID.randomUUID().toString().substring(0, 8);

  /** Members with a 1 GiB heap. */
  public JGroupsSystem() {
    this("1g", List.of());
  }

  /**
   * @param heap -Xmx for each member, e.g. {@code 1g}
   * @param extraMemberArgs extra {@code key=value} member arguments, e.g. {@code jg.bundler=tq}
   */
  public JGroupsSystem(String heap, List<String> extraMemberArgs) {
    super(NAME, heap, extraMemberArgs);
  }

  @Override
  protected String memberMainClass() {
    return JGroupsMember.class.getName();
  }

  @Override
  protected List<String> memberJvmArgs() {
    return List.of("-Xms256m", "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
  }

  @Override
  protected void addMemberArgs(MemberArgs.Builder b) {
    b.put("jg.cluster", cluster);
  }

  /** Rank 0 starts first and becomes the sequencer. */
  @Override
  protected String startFirstEvent() {
    return "listening";
  }
}
