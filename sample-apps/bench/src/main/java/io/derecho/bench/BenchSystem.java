package io.derecho.bench;

import io.derecho.bench.launch.ProcessLauncher;

/**
 * A system under test. An implementation launches its member processes with the given {@link
 * ProcessLauncher}, waits for them (bounded by {@link BenchConfig#timeout()}), and folds their
 * {@code RESULT} records into one {@link RunResult}. It must not leave processes running, and
 * should return {@code ok=false} with a note rather than throw for ordinary failures (timeouts,
 * missing messages); exceptions are reported as failed runs by the driver.
 */
public interface BenchSystem {

  /** Name used on the command line and in output, e.g. {@code jgroups}. */
  String name();

  /** Runs one configuration. */
  RunResult run(BenchConfig cfg, ProcessLauncher launcher) throws Exception;

  /**
   * The configuration this system actually runs for {@code requested}. Systems that ignore some
   * axes (the TCP pump always runs 2 processes, one sender) normalise them here; the driver runs
   * each distinct effective configuration once per invocation and reuses the result.
   */
  default BenchConfig effectiveConfig(BenchConfig requested) {
    return requested;
  }

  /** Why this system cannot run {@code cfg} (e.g. size too small), or null if it can. */
  default String unsupported(BenchConfig cfg) {
    return null;
  }
}
