package io.derecho.bench;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The benchmark driver. For every configuration (nodes x senders x size x window x mode) it runs
 * each selected system, printing one aligned line per system as results arrive (progress on
 * stderr), then a summary and the ratios. Every member is a separate JVM on 127.0.0.1.
 */
@Command(
    name = "derecho-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    subcommands = {io.derecho.bench.ratis.RatisBench.class},
    description = {
      "Derecho vs JGroups vs a raw TCP pump, each member a separate JVM on loopback.",
      "Throughput = delivered messages (all senders) per second at a member, averaged over"
          + " members; MB = 10^6 bytes. Latency = send-to-delivery (HdrHistogram)."
    })
public final class BenchMain implements Callable<Integer> {

  @Option(names = "--nodes", split = ",", defaultValue = "3", paramLabel = "N",
      description = "Group sizes (list). Default: ${DEFAULT-VALUE}.")
  List<Integer> nodes;

  @Option(names = "--senders", split = ",", defaultValue = "all", paramLabel = "all|half|one",
      converter = SendersConverter.class,
      description = "Sender selectors (list): all = n, half = ceil(n/2), one = 1; senders are the"
          + " highest ranks. Default: ${DEFAULT-VALUE}.")
  List<Senders> senders;

  @Option(names = "--size", split = ",", defaultValue = "1KiB", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Message sizes (list), e.g. 100,1KiB,10KiB,1MiB. Default: ${DEFAULT-VALUE}.")
  List<Integer> sizes;

  @Option(names = "--messages", defaultValue = "10000", paramLabel = "COUNT",
      description = "Messages per sender. Default: ${DEFAULT-VALUE}.")
  long messages;

  @Option(names = "--seconds", defaultValue = "0", paramLabel = "S",
      description = "Optional cap on each sender's sending time in seconds (0 = none): senders"
          + " stop at --messages or after S seconds, whichever is first. Default: ${DEFAULT-VALUE}.")
  double seconds;

  @Option(names = "--warmup", defaultValue = "-1", paramLabel = "COUNT",
      description = "Unmeasured warm-up messages per sender before the measured phase;"
          + " -1 = auto: min(messages, 5000, 64MiB/size). Default: ${DEFAULT-VALUE}.")
  long warmup;

  @Option(names = "--window", split = ",", defaultValue = "0", paramLabel = "W",
      description = "Send windows (list): max own messages in flight per sender (sent, not yet"
          + " delivered back); 0 = only the system's own flow control. Default: ${DEFAULT-VALUE}.")
  List<Integer> windows;

  @Option(names = "--mode", split = ",", arity = "1", defaultValue = "ordered",
      paramLabel = "ordered|unordered", converter = ModeConverter.class,
      description = "Delivery modes (list): ordered = total order, unordered = FIFO per sender."
          + " Default: ${DEFAULT-VALUE}.")
  List<Boolean> modes;

  @Option(names = "--systems", split = ",", defaultValue = "derecho,jgroups,tcp",
      paramLabel = "NAME", description = "Systems to run (list). Default: ${DEFAULT-VALUE}.")
  List<String> systems;

  @Option(names = "--timeout", defaultValue = "120s", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Limit per system per configuration (e.g. 90s, 2m, 500ms). Members are"
          + " killed after it (plus a short grace). Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--markdown", paramLabel = "FILE",
      description = "Append the results (with command line, date, nproc, memory) to FILE.")
  Path markdown;

  @Option(names = "--run-dir", defaultValue = "target/bench-runs", paramLabel = "DIR",
      description = "Where member logs go (a timestamped sub-directory per invocation)."
          + " Default: ${DEFAULT-VALUE}.")
  Path runRoot;

  @Option(names = "--heap", defaultValue = "1g", paramLabel = "SIZE",
      description = "-Xmx of each group member JVM. Default: ${DEFAULT-VALUE}.")
  String heap;

  @Option(names = "--jgroups-opt", paramLabel = "KEY=VALUE",
      description = "Extra JGroups member option (repeatable): jg.bundler=pd|tq, jg.credits=8M,"
          + " jg.frag=60K, jg.sockbuf=4M, jg.nodelay=true|false.")
  List<String> jgroupsOpts = new ArrayList<>();

  @Option(names = "--derecho-opt", paramLabel = "KEY=VALUE",
      description = "Extra Derecho member option (repeatable), passed to the derecho system.")
  List<String> derechoOpts = new ArrayList<>();

  @Option(names = "--tcp-sockbuf", defaultValue = "0", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "TCP pump SO_SNDBUF/SO_RCVBUF (0 = OS autotuning). Default: ${DEFAULT-VALUE}.")
  int tcpSockbuf;

  private final String[] rawArgs;
  private final PrintStream out;
  private final PrintStream err;

  BenchMain(String[] rawArgs, PrintStream out, PrintStream err) {
    this.rawArgs = rawArgs;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("demo")) {
      io.derecho.bench.demo.DemoMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("rpc")) {
      io.derecho.bench.rpc.RpcBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("jgroups-rpc")) {
      io.derecho.bench.jgroupsrpc.JGroupsRpcBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("rpc-compare")) {
      // One invocation on one machine: our ordered RPC, then JGroups RpcDispatcher, then Apache Ratis (gRPC).
      String[] seconds = args.length > 2 && args[1].equals("--seconds")
          ? new String[] {"--seconds", args[2]} : new String[0];
      io.derecho.bench.rpc.RpcBench.main(seconds);
      if (io.derecho.bench.jgroupsrpc.JGroupsRpcBench.runMain(seconds) != 0) {
        System.exit(1);
      }
      System.exit(new CommandLine(new BenchMain(args, System.out, System.err)).execute("ratis", "--transport", "grpc"));
    }
    if (args.length > 0 && args[0].equals("viewchange")) {
      io.derecho.bench.viewchange.ViewChangeBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    int code = new CommandLine(new BenchMain(args, System.out, System.err)).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    for (String kv : concat(jgroupsOpts, derechoOpts)) {
      if (kv.indexOf('=') <= 0) {
        err.println("--jgroups-opt/--derecho-opt need KEY=VALUE, got: " + kv);
        return 2;
      }
    }
    Map<String, BenchSystem> registry = BenchSystems.registry(
        new BenchSystems.Options(heap, jgroupsOpts, derechoOpts, tcpSockbuf));
    List<BenchSystem> selected = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String name : systems) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      BenchSystem s = registry.get(n);
      if (s != null) {
        if (!selected.contains(s)) {
          selected.add(s);
        }
      } else if (n.equals(BenchSystems.DERECHO)) {
        skipped.add("derecho skipped: no system class " + BenchSystems.DERECHO_SYSTEM_CLASS
            + " on the classpath yet");
      } else {
        err.println("unknown system '" + name + "'; available: " + registry.keySet());
        return 2;
      }
    }
    skipped.forEach(s -> err.println("note: " + s));
    if (selected.isEmpty()) {
      err.println("no system to run");
      return 2;
    }

    List<BenchConfig> configs = configs();
    int total = configs.size() * selected.size();
    List<ResultTable.Row> rows = new ArrayList<>();
    Map<String, RunResult> cache = new HashMap<>();
    boolean allOk = true;
    try (ProcessLauncher launcher = ProcessLauncher.inNewRunDir(runRoot)) {
      err.println("member logs: " + launcher.runDir());
      out.println(ResultTable.header());
      int k = 0;
      for (BenchConfig cfg : configs) {
        for (BenchSystem sys : selected) {
          k++;
          BenchConfig eff = sys.effectiveConfig(cfg);
          String key = sys.name() + "|" + eff;
          err.printf(Locale.ROOT, "[%d/%d] %s %s ...%n", k, total, sys.name(), eff.label());
          RunResult r = cache.get(key);
          if (r != null) {
            r = r.withNote(join(r.note(), "same pump run as above (axes not applicable)"));
          } else {
            long t0 = System.nanoTime();
            r = runOne(sys, eff, launcher);
            cache.put(key, r);
            err.printf(Locale.ROOT, "[%d/%d] %s done in %.1f s%n", k, total, sys.name(),
                (System.nanoTime() - t0) / 1e9);
          }
          allOk &= r.ok();
          rows.add(new ResultTable.Row(cfg, r));
          out.println(ResultTable.line(r));
          out.flush();
        }
      }
    }
    out.println();
    out.println("== summary ==");
    out.println(ResultTable.header());
    rows.forEach(r -> out.println(ResultTable.line(r.result())));
    skipped.forEach(s -> out.println("note: " + s));
    out.println();
    out.println("== ratios ==");
    ResultTable.ratioLines(rows).forEach(out::println);
    if (markdown != null) {
      appendMarkdown(rows, skipped);
      err.println("appended results to " + markdown);
    }
    return allOk ? 0 : 1;
  }

  private RunResult runOne(BenchSystem sys, BenchConfig cfg, ProcessLauncher launcher) {
    String why = sys.unsupported(cfg);
    if (why != null) {
      return RunResult.failed(sys.name(), cfg, "unsupported: " + why);
    }
    try {
      return sys.run(cfg, launcher);
    } catch (Exception e) {
      return RunResult.failed(sys.name(), cfg, "exception: " + e);
    } finally {
      launcher.killAll();
    }
  }

  List<BenchConfig> configs() {
    Duration send = Duration.ofMillis(Math.round(seconds * 1000));
    List<BenchConfig> list = new ArrayList<>();
    for (int n : nodes) {
      for (Senders s : senders) {
        for (int size : sizes) {
          for (int w : windows) {
            for (boolean ordered : modes) {
              long wu = warmup < 0 ? BenchConfig.autoWarmup(size, messages) : warmup;
              list.add(new BenchConfig(n, s, size, messages, w, ordered, timeout, send, wu));
            }
          }
        }
      }
    }
    return list;
  }

  private void appendMarkdown(List<ResultTable.Row> rows, List<String> skipped) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("\n## derecho-bench ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append("\n\n");
    sb.append("Command: `derecho-bench ").append(String.join(" ", rawArgs)).append("`\n\n");
    sb.append("Machine: nproc=").append(Runtime.getRuntime().availableProcessors())
        .append(", memory=").append(totalMemory())
        .append(", java=").append(System.getProperty("java.version"))
        .append(", os=").append(System.getProperty("os.name")).append(' ')
        .append(System.getProperty("os.version")).append("\n\n");
    for (String s : skipped) {
      sb.append("Note: ").append(s).append("\n\n");
    }
    sb.append(ResultTable.markdown(rows));
    if (markdown.getParent() != null) {
      Files.createDirectories(markdown.getParent());
    }
    Files.writeString(markdown, sb.toString(), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String totalMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (double) (1L << 30));
    }
    return "unknown";
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String join(String a, String b) {
    return a == null || a.isBlank() ? b : a + "; " + b;
  }

  /** ordered|unordered -> true|false. */
  static final class ModeConverter implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "ordered", "total" -> true;
        case "unordered", "fifo" -> false;
        default -> throw new CommandLine.TypeConversionException(
            "expected ordered or unordered, got '" + value + "'");
      };
    }
  }

  /** all|half|one. */
  static final class SendersConverter implements ITypeConverter<Senders> {
    @Override
    public Senders convert(String value) {
      return Senders.parse(value);
    }
  }

  /** 100, 1KiB, 10K, 1MiB, ... */
  static final class SizeConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return Sizes.parseInt(value);
    }
  }

  /** 120, 120s, 2m, 500ms, or ISO-8601 (PT2M). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parseDuration(value);
    }
  }

  static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("pt")) {
      return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
    }
    Map<String, Long> units = new LinkedHashMap<>();
    units.put("ms", 1L);
    units.put("s", 1000L);
    units.put("m", 60_000L);
    units.put("h", 3_600_000L);
    for (Map.Entry<String, Long> u : units.entrySet()) {
      if (v.endsWith(u.getKey())) {
        double num = Double.parseDouble(v.substring(0, v.length() - u.getKey().length()).trim());
        return Duration.ofMillis(Math.round(num * u.getValue()));
      }
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
  }
}
