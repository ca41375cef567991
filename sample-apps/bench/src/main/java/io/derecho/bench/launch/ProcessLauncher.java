package io.derecho.bench.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts benchmark members as separate JVMs on this machine and makes sure none outlives the
 * run.
 *
 * <p>Each member runs {@code java <jvmArgs> -cp <classpath> <mainClass> <args>}, where {@code
 * java} is this JVM's launcher and the classpath is this JVM's {@code java.class.path} (or one
 * given to the constructor). stdout/stderr go to {@code <dir>/<name>.out} and {@code
 * <dir>/<name>.err}; stdout lines {@code RESULT <json>} / {@code EVENT <name>} are parsed (see
 * {@link MemberRuntime} for the member side).
 *
 * <p>Every started process is tracked by pid until it exits. {@link #awaitAll} kills a group
 * whose deadline passes, {@link #killAll()} / {@link #close()} kill everything still alive
 * (destroy, a grace period, then destroyForcibly), and a JVM shutdown hook does the same if the
 * driver is interrupted (Ctrl-C). Members additionally halt themselves when the driver dies or
 * their own hard deadline passes ({@link MemberRuntime#install}).
 */
public final class ProcessLauncher implements AutoCloseable {

  /** Grace period between destroy() and destroyForcibly(). */
  public static final Duration KILL_GRACE = Duration.ofSeconds(3);

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path runDir;
  private final String javaCommand;
  private final String classPath;
  private final Map<Long, LaunchedProcess> live = new ConcurrentHashMap<>();
  private final AtomicInteger subDirCounter = new AtomicInteger();
  private final Thread shutdownHook;
  private volatile boolean closed;

  /**
   * A launcher writing into {@code runDir} (created if missing); members get this JVM's {@code
   * java.class.path}.
   */
  public ProcessLauncher(Path runDir) {
    this(runDir, System.getProperty("java.class.path"));
  }

  /**
   * A launcher writing into {@code runDir}; members get {@code classPath} (e.g. a test's full
   * classpath when this JVM was started from a manifest-only jar).
   */
  public ProcessLauncher(Path runDir, String classPath) {
    this.runDir = runDir.toAbsolutePath();
    this.javaCommand = currentJava();
    this.classPath = Objects.requireNonNull(classPath, "classpath");
    try {
      Files.createDirectories(this.runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.shutdownHook = new Thread(this::killAll, "bench-launcher-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * A launcher in a fresh timestamped directory under {@code root}, e.g. {@code
   * target/bench-runs/20250101-120000}.
   */
  public static ProcessLauncher inNewRunDir(Path root) {
    return new ProcessLauncher(newRunDirPath(root));
  }

  /** A fresh (not yet existing) timestamped directory path under {@code root}. */
  public static Path newRunDirPath(Path root) {
    String stamp = LocalDateTime.now().format(STAMP);
    Path dir = root.resolve(stamp);
    for (int k = 2; Files.exists(dir); k++) {
      dir = root.resolve(stamp + "-" + k);
    }
    return dir;
  }

  /** Default root for run directories, relative to the working directory. */
  public static Path defaultRunRoot() {
    return Path.of("target", "bench-runs");
  }

  /** The java executable of this JVM. */
  public static String currentJava() {
    return ProcessHandle.current()
        .info()
        .command()
        .filter(c -> Files.isExecutable(Path.of(c)))
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  public Path runDir() {
    return runDir;
  }

  public String classPath() {
    return classPath;
  }

  /**
   * Creates a numbered sub-directory for one run, e.g. {@code 003-jgroups-n3-all-1KiB}. Names are
   * sanitised to {@code [A-Za-z0-9._-]}.
   */
  public Path newRunSubDir(String label) {
    String clean = label.replaceAll("[^A-Za-z0-9._-]+", "_");
    Path dir = runDir.resolve(String.format("%03d-%s", subDirCounter.incrementAndGet(), clean));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /**
   * Starts one member JVM.
   *
   * @param name file-name-safe member name, e.g. {@code jgroups-1}
   * @param dir where {@code <name>.out}/{@code <name>.err} go (see {@link #newRunSubDir})
   * @param mainClass the member's main class (must be on the classpath)
   * @param jvmArgs e.g. {@code -Xmx1g}
   * @param args program arguments
   */
  public LaunchedProcess launch(
      String name, Path dir, Class<?> mainClass, List<String> jvmArgs, List<String> args)
      throws IOException {
    return launch(name, dir, mainClass.getName(), jvmArgs, args);
  }

  /** As {@link #launch(String, Path, Class, List, List)} with the main class given by name. */
  public LaunchedProcess launch(
      String name, Path dir, String mainClass, List<String> jvmArgs, List<String> args)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("launcher closed");
    }
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(javaCommand);
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(args);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Files.writeString(
        dir.resolve(name + ".cmd"),
        String.join(" ", cmd.subList(0, 1)) + " " + String.join(" ", jvmArgs) + " -cp <classpath> "
            + mainClass + " " + String.join(" ", args) + "\n");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    LaunchedProcess lp = new LaunchedProcess(name, p, out, err);
    live.put(p.pid(), lp);
    p.onExit().thenRun(() -> live.remove(p.pid()));
    return lp;
  }

  /** Processes started by this launcher that have not exited yet. */
  public Collection<LaunchedProcess> live() {
    return live.values().stream().filter(LaunchedProcess::isAlive).toList();
  }

  /**
   * Waits until every process in {@code group} has exited (and its stdout is read), or until
   * {@code deadline}; on timeout kills the whole group and returns false.
   */
  public boolean awaitAll(Collection<LaunchedProcess> group, Instant deadline)
      throws InterruptedException {
    boolean allExited = true;
    try {
      for (LaunchedProcess lp : group) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || !lp.awaitExit(left)) {
          allExited = false;
          break;
        }
      }
    } finally {
      if (!allExited) {
        kill(group);
      }
    }
    return allExited;
  }

  /** Kills the given processes (destroy, grace, destroyForcibly). */
  public void kill(Collection<LaunchedProcess> group) {
    for (LaunchedProcess lp : group) {
      if (lp.isAlive()) {
        lp.process().destroy();
      }
    }
    for (LaunchedProcess lp : group) {
      lp.kill(KILL_GRACE);
    }
  }

  /** Kills every process this launcher started that is still alive. */
  public void killAll() {
    kill(live.values());
  }

  /** Kills everything still alive and unregisters the shutdown hook. */
  @Override
  public void close() {
    closed = true;
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // already shutting down: the hook runs anyway
    }
  }
}
