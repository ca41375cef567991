package io.derecho.bench.ratis;

import io.derecho.bench.Sizes;
import io.derecho.bench.launch.ProcessLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code derecho-bench ratis}: replicated-counter writes through Apache Ratis, a cluster of
 * server JVMs on loopback and an async client in this JVM, for every (size, callers) pair.
 */
@Command(
    name = "ratis",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Apache Ratis peer for the ordered-RPC benchmark: a replicated counter on N Ratis servers"
          + " (separate JVMs on 127.0.0.1, log on tmpfs), written by an async client in this"
          + " JVM with CALLERS requests in flight.",
      "writes/s = increments acknowledged (majority-committed and applied at the leader) per"
          + " second of the measured window; latency = send to acknowledgement (HdrHistogram);"
          + " MB = 10^6 bytes of request. After every run the counter is read on every replica"
          + " and must equal the sum of the acknowledged increments."
    })
public final class RatisBench implements Callable<Integer> {

  @Option(names = "--nodes", defaultValue = "3", paramLabel = "N",
      description = "Ratis servers. Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--callers", split = ",", defaultValue = "1,4,16,128", paramLabel = "C",
      description = "Requests in flight (list), one run each. Default: ${DEFAULT-VALUE}.")
  List<Integer> callers;

  @Option(names = "--size", split = ",", defaultValue = "100,10KiB", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Increment request sizes (list; the increment is padded), e.g. 100,10KiB."
          + " Default: ${DEFAULT-VALUE}.")
  List<Integer> sizes;

  @Option(names = "--seconds", defaultValue = "5", paramLabel = "S",
      description = "Measured seconds per run. Default: ${DEFAULT-VALUE}.")
  double seconds;

  @Option(names = "--ramp", defaultValue = "1", paramLabel = "S",
      description = "Unmeasured seconds at the start of every run. Default: ${DEFAULT-VALUE}.")
  double ramp;

  @Option(names = "--warmup", defaultValue = "90", paramLabel = "S",
      description = "Most unmeasured seconds of load (max callers, split over the sizes) before"
          + " the first run, in 5 s chunks until two in a row agree within 10%; on 2 cores the"
          + " server JVMs need 20-40 s of load before the JIT settles. Default: ${DEFAULT-VALUE}.")
  double warmup;

  @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Limit on the whole benchmark (e.g. 600s, 10m); runs that would not fit are"
          + " skipped and servers halt themselves shortly after. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--transport", split = ",", defaultValue = "grpc,netty",
      paramLabel = "grpc|netty",
      description = "Ratis RPC between servers and from the client (list): one cluster, warm-up"
          + " and set of runs each. Default: ${DEFAULT-VALUE}.")
  List<String> transports;

  @Option(names = "--ratis-opt", paramLabel = "raft.KEY=VALUE",
      description = "Extra Ratis setting for servers and client (repeatable), applied over the"
          + " benchmark's tuning, e.g. raft.server.log.log-metadata.enabled=true.")
  List<String> ratisOpts = new ArrayList<>();

  @Option(names = "--heap", defaultValue = "1g", paramLabel = "SIZE",
      description = "-Xmx of each server JVM. Default: ${DEFAULT-VALUE}.")
  String heap;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed of the increment deltas. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--run-dir", defaultValue = "target/bench-runs", paramLabel = "DIR",
      description = "Where server logs go (a timestamped sub-directory per invocation)."
          + " Default: ${DEFAULT-VALUE}.")
  Path runRoot;

  @Option(names = "--markdown", paramLabel = "FILE",
      description = "Append the results (with command line, date, machine, settings) to FILE.")
  Path markdown;

  @Spec
  CommandLine.Model.CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  public RatisBench() {
    this(System.out, System.err);
  }

  RatisBench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    // The client lives in this JVM; Ratis logs every connection at INFO.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis", "warn");
    // It also logs each retried request at ERROR; failures that count reach the result table.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.ratis.client.impl.OrderedAsync",
        "off");
    List<RatisSettings.Transport> ts = new ArrayList<>();
    List<RatisBenchmark.Plan> plans = new ArrayList<>();
    try {
      for (String name : transports) {
        RatisSettings.Transport t = RatisSettings.Transport.parse(name);
        if (!ts.contains(t)) {
          ts.add(t);
        }
      }
      for (RatisSettings.Transport t : ts) {
        // --timeout bounds the whole invocation; each plan gets what is left when it starts.
        plans.add(new RatisBenchmark.Plan(nodes, t, callers, sizes, seconds("--warmup", warmup),
            seconds("--ramp", ramp), seconds("--seconds", seconds), timeout, heap,
            RatisSettings.parseOverrides(ratisOpts), seed));
      }
      if (seconds <= 0) {
        throw new IllegalArgumentException("--seconds must be > 0");
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> settings = new ArrayList<>();
    List<RatisBenchmark.Report> reports = new ArrayList<>();
    out.println(RatisTable.header());
    try (ProcessLauncher launcher = ProcessLauncher.inNewRunDir(runRoot)) {
      for (RatisBenchmark.Plan p : plans) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        RatisBenchmark.Plan plan = p.withOverall(left);
        List<String> lines = settingsLines(plan);
        lines.forEach(err::println);
        settings.addAll(lines);
        reports.add(RatisBenchmark.run(plan, launcher, err, row -> {
          out.println(RatisTable.line(nodes, plan.transport(), row));
          out.flush();
        }));
      }
    }
    out.println();
    out.println("== summary ==");
    out.println(RatisTable.header());
    for (RatisBenchmark.Report r : reports) {
      r.rows().forEach(row -> out.println(RatisTable.line(nodes, r.transport(), row)));
    }
    for (RatisBenchmark.Report r : reports) {
      String t = r.transport().name().toLowerCase(Locale.ROOT);
      if (r.finalCheck() != null) {
        out.println(t + ": " + r.finalCheck().acked() + " increments acknowledged, "
            + r.finalCheck().describe() + " (read at index >= " + r.finalCheck().index()
            + "); leader " + r.leader());
      }
      if (!r.error().isEmpty()) {
        out.println(t + ": error: " + r.error());
      }
      out.println(t + ": stopped server pids " + r.pids() + "; deleted " + r.storageRoot()
          + "; logs in " + r.logDir());
    }
    if (markdown != null) {
      appendMarkdown(settings, reports);
      err.println("appended results to " + markdown);
    }
    return reports.stream().allMatch(RatisBenchmark.Report::ok) ? 0 : 1;
  }

  private List<String> settingsLines(RatisBenchmark.Plan plan) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "ratis %s, %d servers, transport %s, server heap %s,"
            + " load average %.2f on %d cores at start; non-default settings:", ratisVersion(),
        plan.nodes(), plan.transport(), plan.heap(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors()));
    for (RatisSettings.Setting s : RatisSettings.serverTuning(plan.transport())) {
      lines.add("  server " + s.key() + "=" + s.value() + "  (" + s.why() + ")");
    }
    for (RatisSettings.Setting s : RatisSettings.clientTuning(plan.transport(),
        plan.maxCallers())) {
      lines.add("  client " + s.key() + "=" + s.value() + "  (" + s.why() + ")");
    }
    plan.overrides().forEach((k, v) -> lines.add("  --ratis-opt " + k + "=" + v));
    return lines;
  }

  private void appendMarkdown(List<String> settings, List<RatisBenchmark.Report> reports)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("\n## derecho-bench ratis ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append("\n\n");
    List<String> args = spec == null ? List.of() : spec.commandLine().getParseResult()
        .originalArgs();
    if (!args.isEmpty() && args.get(0).equals("ratis")) {
      args = args.subList(1, args.size()); // run as a subcommand of derecho-bench
    }
    sb.append("Command: `derecho-bench ratis ").append(String.join(" ", args)).append("`\n\n");
    sb.append("Machine: nproc=").append(Runtime.getRuntime().availableProcessors())
        .append(", memory=").append(totalMemory())
        .append(", java=").append(System.getProperty("java.version"))
        .append(", os=").append(System.getProperty("os.name")).append(' ')
        .append(System.getProperty("os.version")).append("\n\n");
    sb.append("```\n");
    settings.forEach(l -> sb.append(l).append('\n'));
    sb.append("```\n\n");
    List<RatisTable.Entry> entries = new ArrayList<>();
    for (RatisBenchmark.Report r : reports) {
      r.rows().forEach(row -> entries.add(new RatisTable.Entry(nodes, r.transport(), row)));
    }
    sb.append(RatisTable.markdown(entries));
    for (RatisBenchmark.Report r : reports) {
      if (r.finalCheck() != null) {
        sb.append("\n").append(r.transport().name().toLowerCase(Locale.ROOT)).append(": ")
            .append(r.finalCheck().acked()).append(" increments acknowledged, ")
            .append(r.finalCheck().describe()).append(".\n");
      }
    }
    if (markdown.getParent() != null) {
      Files.createDirectories(markdown.getParent());
    }
    Files.writeString(markdown, sb.toString(), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String ratisVersion() {
    try {
      String v = org.apache.ratis.util.VersionInfo.getSoftwareInfoVersion();
      return v == null || v.isBlank() ? "(version unknown)" : v;
    } catch (RuntimeException | LinkageError e) {
      return "(version unknown)";
    }
  }

  private static Duration seconds(String option, double s) {
    if (s < 0 || Double.isNaN(s)) {
      throw new IllegalArgumentException(option + " must be >= 0, got " + s);
    }
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  static String totalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (double) (1L << 30));
    }
    return "unknown";
  }

  /** 100, 1KiB, 10K, ... */
  static final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return Sizes.parseInt(value);
    }
  }

  /** 600, 600s, 10m, 500ms. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 2))));
        }
        if (v.endsWith("m")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
        }
        String num = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
        return Duration.ofMillis(Math.round(Double.parseDouble(num) * 1000));
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException(
            "expected a duration like 600s, 10m or 500ms, got '" + value + "'");
      }
    }
  }
}
