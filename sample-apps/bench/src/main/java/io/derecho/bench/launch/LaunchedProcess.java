package io.derecho.bench.launch;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One member process started by {@link ProcessLauncher}. Its stdout is pumped line by line into
 * {@link #stdoutFile()}; lines of the form {@code RESULT <json>} are parsed ({@link #results()})
 * and lines {@code EVENT <word...>} are remembered ({@link #awaitEvent}). stderr goes straight to
 * {@link #stderrFile()}.
 */
public final class LaunchedProcess {

  private final String name;
  private final Process process;
  private final Path stdoutFile;
  private final Path stderrFile;
  private final Thread pump;
  private final List<Map<String, Object>> results = new ArrayList<>();
  private final List<String> badResults = new ArrayList<>();
  private final Set<String> events = new HashSet<>();

  LaunchedProcess(String name, Process process, Path stdoutFile, Path stderrFile) {
    this.name = name;
    this.process = process;
    this.stdoutFile = stdoutFile;
    this.stderrFile = stderrFile;
    this.pump = new Thread(this::pumpStdout, "stdout-" + name);
    this.pump.setDaemon(true);
    this.pump.start();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public Path stdoutFile() {
    return stdoutFile;
  }

  public Path stderrFile() {
    return stderrFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Exit code, or empty while running. */
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** All {@code RESULT} records printed so far, in order. */
  public synchronized List<Map<String, Object>> results() {
    return List.copyOf(results);
  }

  /** The last {@code RESULT} record, if any. */
  public synchronized Optional<Map<String, Object>> result() {
    return results.isEmpty() ? Optional.empty() : Optional.of(results.get(results.size() - 1));
  }

  /** {@code RESULT} lines that could not be parsed (kept for diagnostics). */
  public synchronized List<String> badResults() {
    return List.copyOf(badResults);
  }

  /**
   * Waits until the process printed {@code EVENT <event>} (exact text after the prefix); false on
   * timeout or when the process exited without printing it.
   */
  public boolean awaitEvent(String event, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (!events.contains(event)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!pump.isAlive() && !events.contains(event))) {
          return events.contains(event);
        }
        wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
      return true;
    }
  }

  /**
   * Waits for the process to exit and its stdout to be fully read; true if it exited in time.
   */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return false;
    }
    pump.join(Math.max(1000, (deadline - System.nanoTime()) / 1_000_000));
    return true;
  }

  /** destroy(), give it {@code grace} to exit, then destroyForcibly(); descendants too. */
  public void kill(Duration grace) {
    List<ProcessHandle> kids = new ArrayList<>();
    try {
      process.descendants().forEach(kids::add);
    } catch (RuntimeException ignored) {
      // process already gone
    }
    if (process.isAlive()) {
      process.destroy();
    }
    for (ProcessHandle k : kids) {
      k.destroy();
    }
    try {
      process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    for (ProcessHandle k : kids) {
      if (k.isAlive()) {
        k.destroyForcibly();
      }
    }
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Last {@code lines} lines of stderr (for failure notes). */
  public String stderrTail(int lines) {
    return tail(stderrFile, lines);
  }

  /** Last {@code lines} lines of stdout. */
  public String stdoutTail(int lines) {
    return tail(stdoutFile, lines);
  }

  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private void pumpStdout() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(stdoutFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        if (line.startsWith(MemberRuntime.RESULT_PREFIX)) {
          String json = line.substring(MemberRuntime.RESULT_PREFIX.length());
          synchronized (this) {
            try {
              results.add(FlatJson.parse(json));
            } catch (IllegalArgumentException e) {
              badResults.add(line);
            }
            notifyAll();
          }
        } else if (line.startsWith(MemberRuntime.EVENT_PREFIX)) {
          synchronized (this) {
            events.add(line.substring(MemberRuntime.EVENT_PREFIX.length()).trim());
            notifyAll();
          }
        }
      }
    } catch (IOException ignored) {
      // process killed or stream closed
    } finally {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
