/**
 * Apache Ratis as the peer of the ordered-RPC benchmark: a replicated counter ({@link
 * io.derecho.bench.ratis.CounterStateMachine}) on Ratis servers in separate JVMs ({@link
 * io.derecho.bench.ratis.RatisServerMain}, started by {@link io.derecho.bench.ratis.RatisCluster}),
 * driven by a closed-loop async client ({@link io.derecho.bench.ratis.RatisLoad}) from the {@code
 * ratis} subcommand ({@link io.derecho.bench.ratis.RatisBench}).
 *
 * <p>Invariants the benchmark checks rather than assumes: after every run, each replica's counter
 * equals the sum of the increments the client saw acknowledged; every server process it started
 * has exited and its storage directory is gone when it returns. The Ratis tuning and the reason
 * for each setting are in {@link io.derecho.bench.ratis.RatisSettings}.
 */
package io.derecho.bench.ratis;
