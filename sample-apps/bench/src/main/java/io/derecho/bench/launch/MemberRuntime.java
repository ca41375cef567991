package io.derecho.bench.launch;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * Member-side helpers, the counterpart of {@link ProcessLauncher}.
 *
 * <ul>
 *   <li>{@link #install(Duration)}: call first thing in {@code main}. Halts the JVM when the
 *       driver process dies (so no member is ever orphaned, even if the driver is SIGKILLed) and
 *       when the hard deadline passes.
 *   <li>{@link #result(Map)}: prints the one {@code RESULT <json>} line the driver collects.
 *   <li>{@link #event(String)}: prints {@code EVENT <name>}, which the driver can wait for with
 *       {@link LaunchedProcess#awaitEvent}.
 * </ul>
 *
 * Anything else a member prints on stdout is just logged to its {@code .out} file.
 */
public final class MemberRuntime {

  public static final String RESULT_PREFIX = "RESULT ";
  public static final String EVENT_PREFIX = "EVENT ";

  /** Exit status used when the hard deadline halts the member. */
  public static final int EXIT_HARD_DEADLINE = 124;

  /** Exit status used when the driver died. */
  public static final int EXIT_ORPHANED = 125;

  private static final PrintStream STDOUT = System.out;

  private MemberRuntime() {}

  /**
   * Installs the orphan guard and a hard deadline after which the JVM halts with {@link
   * #EXIT_HARD_DEADLINE}. Use a deadline somewhat larger than the member's own soft deadline so
   * it can still report a (failed) result.
   */
  public static void install(Duration hardDeadline) {
    ProcessHandle.current()
        .parent()
        .ifPresent(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println("driver process exited: halting member");
                          Runtime.getRuntime().halt(EXIT_ORPHANED);
                        }));
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(hardDeadline.toMillis());
                System.err.println("hard deadline " + hardDeadline + " passed: halting member");
                System.err.flush();
                Runtime.getRuntime().halt(EXIT_HARD_DEADLINE);
              } catch (InterruptedException ignored) {
                // cancelled
              }
            },
            "member-hard-deadline");
    t.setDaemon(true);
    t.start();
  }

  /** Prints {@code RESULT <json>} on stdout and flushes. */
  public static void result(Map<String, ?> record) {
    synchronized (STDOUT) {
      STDOUT.println(RESULT_PREFIX + FlatJson.write(record));
      STDOUT.flush();
    }
  }

  /** Prints {@code EVENT <name>} on stdout and flushes. */
  public static void event(String name) {
    synchronized (STDOUT) {
      STDOUT.println(EVENT_PREFIX + name);
      STDOUT.flush();
    }
  }

  /** Prints a free-form log line on stdout (goes to the member's .out file). */
  public static void log(String line) {
    synchronized (STDOUT) {
      STDOUT.println(line);
      STDOUT.flush();
    }
  }
}
