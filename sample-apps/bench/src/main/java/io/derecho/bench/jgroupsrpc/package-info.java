/**
 * The JGroups peer of the ordered-RPC benchmark ({@code derecho-bench jgroups-rpc}): a JGroups 5.5
 * {@link org.jgroups.blocks.RpcDispatcher} over the multicast benchmark's stack (TCP on loopback,
 * TCPPING, SEQUENCER for total order), three members, one replicated {@link
 * io.derecho.bench.jgroupsrpc.CountingSink} per member.
 *
 * <p>Invariants the benchmark checks: every call is run by every member and answered by all three
 * before it counts, so at the end every member's sink has counted exactly the calls (and bytes) the
 * callers saw acknowledged; every member process the benchmark started is gone when it returns.
 */
package io.derecho.bench.jgroupsrpc;
