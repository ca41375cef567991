package io.derecho.bench.group;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.RunResult;
import io.derecho.bench.launch.Barrier;
import io.derecho.bench.launch.LaunchedProcess;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Driver side of a group benchmark: launches {@code cfg.nodes()} member JVMs running a {@link
 * GroupMemberMain}-based main class, gives them a {@link Barrier}, waits (bounded), kills
 * leftovers, and aggregates their reports. A {@link io.derecho.bench.BenchSystem} for a group
 * system is typically:
 *
 * <pre>{@code
 * public RunResult run(BenchConfig cfg, ProcessLauncher launcher) throws Exception {
 *   List<Integer> ports = Ports.freeTcpPorts(cfg.nodes());
 *   return GroupRun.run(new GroupRun.Spec(name(), cfg, MyMember.class.getName(),
 *       List.of("-Xmx1g"), (rank, args) -> args.putInts("ports", ports), "listening"), launcher);
 * }
 * }</pre>
 */
public final class GroupRun {

  /** Extra time the driver grants beyond {@code cfg.timeout()} for start-up and reporting. */
  public static final Duration DRIVER_GRACE = Duration.ofSeconds(25);

  /** How long the others may still run once a member died without reporting. */
  public static final Duration AFTER_DEATH = Duration.ofSeconds(10);

  private GroupRun() {}

  /**
   * What to launch.
   *
   * @param system system name (used in file names and results)
   * @param cfg configuration
   * @param memberMainClass fully-qualified main class of the member program
   * @param jvmArgs JVM options for every member
   * @param extraArgs adds system-specific {@code key=value} arguments for a given rank (may be
   *     null)
   * @param startFirstEvent if non-null, rank 0 is launched alone first and the others only once
   *     it printed {@code EVENT <startFirstEvent>} (e.g. a coordinator that must exist before the
   *     rest join); null launches everyone at once
   */
  public record Spec(
      String system,
      BenchConfig cfg,
      String memberMainClass,
      List<String> jvmArgs,
      BiConsumer<Integer, MemberArgs.Builder> extraArgs,
      String startFirstEvent) {
    public Spec {
      Objects.requireNonNull(system);
      Objects.requireNonNull(cfg);
      Objects.requireNonNull(memberMainClass);
      jvmArgs = List.copyOf(jvmArgs);
    }
  }

  public static RunResult run(Spec spec, ProcessLauncher launcher) throws Exception {
    BenchConfig cfg = spec.cfg();
    int n = cfg.nodes();
    Path dir = launcher.newRunSubDir(spec.system() + "-" + cfg.fileLabel());
    List<String> problems = new ArrayList<>();
    List<LaunchedProcess> procs = new ArrayList<>();
    long deadline = System.nanoTime() + cfg.timeout().plus(DRIVER_GRACE).toNanos();
    try (Barrier barrier = Barrier.open(n)) {
      try {
        for (int rank = 0; rank < n; rank++) {
          MemberArgs.Builder b = MemberArgs.builder().put("rank", rank).put("barrier", barrier.address());
          cfg.writeTo(b);
          if (spec.extraArgs() != null) {
            spec.extraArgs().accept(rank, b);
          }
          procs.add(
              launcher.launch(spec.system() + "-" + rank, dir, spec.memberMainClass(),
                  spec.jvmArgs(), b.toArgs()));
          if (rank == 0 && spec.startFirstEvent() != null && n > 1) {
            Duration wait = Duration.ofSeconds(Math.min(60, Math.max(10, cfg.timeout().toSeconds() / 2)));
            if (!procs.get(0).awaitEvent(spec.startFirstEvent(), wait)) {
              if (!procs.get(0).isAlive()) {
                problems.add("rank 0 exited before '" + spec.startFirstEvent() + "': "
                    + lastLine(procs.get(0)));
                break;
              }
              problems.add("rank 0 not '" + spec.startFirstEvent() + "' after " + wait.toSeconds()
                  + " s (continuing)");
            }
          }
        }
        String stop = watch(procs, barrier, deadline, cfg);
        if (stop != null) {
          problems.add(stop);
        }
      } finally {
        launcher.kill(procs);
      }
    }
    List<MemberReport> reports = new ArrayList<>();
    for (LaunchedProcess p : procs) {
      p.awaitExit(Duration.ofSeconds(5));
      Optional<Map<String, Object>> r = p.result();
      if (r.isPresent()) {
        try {
          reports.add(MemberReport.fromMap(r.get()));
        } catch (IllegalArgumentException e) {
          problems.add(p.name() + ": bad RESULT: " + e.getMessage());
        }
      } else {
        problems.add(p.name() + " gave no RESULT (exit " + p.exitCode().map(String::valueOf).orElse("?")
            + "): " + lastLine(p));
      }
    }
    RunResult rr = GroupAggregator.aggregate(spec.system(), cfg, reports, problems);
    return rr.ok() ? rr : rr.withNote(rr.note() + " [logs: " + dir + "]");
  }

  /**
   * Polls until all members exited (returns null) or the deadline passed (returns why the rest
   * are being killed). When a member dies without a RESULT the barrier is aborted and the others
   * get {@link #AFTER_DEATH} to report.
   */
  private static String watch(
      List<LaunchedProcess> procs, Barrier barrier, long deadline, BenchConfig cfg)
      throws InterruptedException {
    Set<String> dead = new HashSet<>();
    while (true) {
      boolean allDone = true;
      for (LaunchedProcess p : procs) {
        if (p.isAlive()) {
          allDone = false;
        } else if (p.exitCode().orElse(0) != 0 && p.result().isEmpty() && dead.add(p.name())) {
          barrier.abort(p.name() + " died with exit code " + p.exitCode().orElse(-1));
          deadline = Math.min(deadline, System.nanoTime() + AFTER_DEATH.toNanos());
        }
      }
      if (allDone) {
        return null;
      }
      if (System.nanoTime() - deadline > 0) {
        return dead.isEmpty()
            ? "TIMEOUT after " + cfg.timeout().plus(DRIVER_GRACE).toSeconds() + " s: members killed"
            : "members killed " + AFTER_DEATH.toSeconds() + " s after " + dead + " died";
      }
      Thread.sleep(100);
    }
  }

  private static String lastLine(LaunchedProcess p) {
    String t = p.stderrTail(40);
    String[] lines = t.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String l = lines[i].trim();
      if (!l.isEmpty() && !l.startsWith("at ")) {
        return l.length() > 200 ? l.substring(0, 200) + "..." : l;
      }
    }
    return "(no stderr)";
  }
}
