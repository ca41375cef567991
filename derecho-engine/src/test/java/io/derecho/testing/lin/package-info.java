/**
 * Linearizability checking for recorded histories of operations on replicated objects.
 *
 * <p>Tests record what their clients did with a {@link io.derecho.testing.lin.HistoryRecorder}
 * (invocation and response times, outcome, returned value), optionally write the
 * {@link io.derecho.testing.lin.History} to a text file ({@link io.derecho.testing.lin.HistoryCodec}) so that
 * histories from several processes on one host can be merged, and judge it with
 * {@link io.derecho.testing.lin.LinearizabilityChecker} against a sequential specification
 * ({@link io.derecho.testing.lin.Model}): {@link io.derecho.testing.lin.RegisterModel},
 * {@link io.derecho.testing.lin.CounterModel} or {@link io.derecho.testing.lin.KvMapModel}.
 *
 * <pre>{@code
 * HistoryRecorder recorder = new HistoryRecorder("p1/");          // one per process, distinct prefixes
 * // in each client thread:
 * long h = recorder.invoke("c3", "put", "k", 7);
 * try {
 *     map.put("k", 7);
 *     recorder.complete(h);                                        // OK, nothing to check
 * } catch (TimeoutException e) {
 *     recorder.unknown(h);                                         // may take effect, now or later
 * }
 * // at the end:
 * History history = recorder.history();
 * history.write(Path.of("target", "histories", "p1.history"));    // for merging, and for the post-mortem
 * CheckResult r = LinearizabilityChecker.check(new KvMapModel(), history);
 * assertThat(r.verdict()).as(r.explain()).isEqualTo(Verdict.LINEARIZABLE);
 * }</pre>
 *
 * <p>The checker is the linearization search of Wing and Gong as improved by Lowe (the "WGL" algorithm of
 * Knossos and Porcupine): operations are linearized in a depth-first search that only tries operations invoked
 * before the earliest pending response, backtracks when an operation's response is reached before it could be
 * linearized, and memoizes every (set of linearized operations, model state) configuration it has explored, with
 * further exact reductions described in {@code WglSearch}. Histories of a key-value map are split per key first,
 * since a map is linearizable exactly when each key's sub-history is (locality, Herlihy and Wing;
 * P-compositionality, Horn and Kroening).
 *
 * <p>Outcomes: an OK operation took effect exactly once between its invocation and its response; a FAILED one
 * definitely never took effect; an UNKNOWN one (a timeout, a crashed client) may never take effect or may take
 * effect at any moment after its invocation, so its response time counts as +infinity.
 *
 * <p>Cost: linearizable histories of a few thousand operations per key from 16 busy clients take well under a
 * second or two. A violation is found at once when the model can rule it out statically (stale reads, values never
 * written, a counter going backwards), otherwise by exhausting the search up to it, which for one register hammered
 * by 16 clients outgrows the default {@link io.derecho.testing.lin.Budget} about 2,000 operations in and
 * answers {@link io.derecho.testing.lin.Verdict#UNKNOWN}. {@code CheckerBenchMain} measures it.
 */
package io.derecho.testing.lin;
