package io.derecho.bench.jgroupsrpc;

import java.util.concurrent.atomic.AtomicLong;
import org.jgroups.blocks.MethodInvoker;

/**
 * The replicated object of the JGroups RPC benchmark, the peer of {@code io.derecho.bench.rpc.Sink}:
 * counts the calls and bytes it was given.
 *
 * <p>Its methods are addressed by short ids and dispatched by {@link #INVOKER}, a plain switch,
 * rather than by name through reflection: the request then carries 2 bytes instead of a method
 * name and parameter class names, and the receiver neither resolves classes nor calls {@code
 * Method.invoke}. That is the cheapest path {@code RpcDispatcher} offers and changes nothing in
 * the semantics (same total order, same replies).
 */
public final class CountingSink {

  /** {@code long apply(byte[] payload)}. */
  public static final short APPLY = 1;
  /** {@code long calls()}. */
  public static final short CALLS = 2;
  /** {@code long bytes()}. */
  public static final short BYTES = 3;

  /** Dispatches a method id to a {@link CountingSink}, without reflection. */
  public static final MethodInvoker INVOKER = (target, id, args) -> {
    CountingSink sink = (CountingSink) target;
    return switch (id) {
      case APPLY -> sink.apply((byte[]) args[0]);
      case CALLS -> sink.calls();
      case BYTES -> sink.bytes();
      default -> throw new IllegalArgumentException("unknown CountingSink method id " + id);
    };
  };

  // Ordered requests all come from the sequencer and are delivered one at a time, but possibly on
  // different pool threads; atomics keep the counts exact without relying on that.
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /** One ordered call: every member counts it; returns how many calls this member has seen. */
  public long apply(byte[] payload) {
    bytes.addAndGet(payload.length);
    return calls.incrementAndGet();
  }

  public long calls() {
    return calls.get();
  }

  public long bytes() {
    return bytes.get();
  }
}
