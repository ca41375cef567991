package io.derecho.bench.ratis;

import io.derecho.bench.ratis.CounterCodec.CounterState;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The benchmark's replicated object: one {@code long} counter. An increment-by-N (a log entry)
 * returns the new value; a GET (a query, not logged) returns the value together with the log index
 * of the last increment applied, so a reader can tell how far a replica has got.
 *
 * <p>In memory only: no snapshots ({@link #takeSnapshot} keeps the base class's "none"), so a
 * restarted replica would replay its whole log. Ratis calls {@link #applyTransaction} from one
 * thread in log order; queries come from other threads and see the value and its index as one
 * immutable pair.
 */
public final class CounterStateMachine extends BaseStateMachine {

  private volatile CounterState state = new CounterState(0, -1);

  /** Stale reads waiting for an index to be applied, by that index. */
  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiting =
      new ConcurrentSkipListMap<>();

  /** The current value and the index of the last increment applied. */
  public CounterState state() {
    return state;
  }

  /** Rejects a malformed request on the leader, before it is logged. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    try {
      CounterCodec.decodeIncrement(request.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (IllegalArgumentException e) {
      trx.setException(e);
    }
    return trx;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ByteString data = entry.getStateMachineLogEntry().getLogData();
    long delta;
    try {
      delta = CounterCodec.decodeIncrement(data.asReadOnlyByteBuffer());
    } catch (IllegalArgumentException e) {
      // Unreachable through startTransaction; still advance the index so replicas stay in step.
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.failedFuture(e);
    }
    CounterState next = new CounterState(state.value() + delta, entry.getIndex());
    state = next; // before the applied index moves, so a read at that index sees this value
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    releaseReadersUpTo(entry.getIndex());
    return CompletableFuture.completedFuture(
        Message.valueOf(ByteString.copyFrom(CounterCodec.incrementReply(next.value()))));
  }

  /** Entries without a state machine part (configuration, metadata) leave the value unchanged. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    super.notifyTermIndexUpdated(term, index);
    releaseReadersUpTo(index);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      CounterCodec.decodeGet(request.getContent().asReadOnlyByteBuffer());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.completedFuture(
        Message.valueOf(ByteString.copyFrom(CounterCodec.getReply(state))));
  }

  /**
   * A read served by this replica once it has applied the increment at {@code minIndex} (Ratis
   * has already checked that its commit index reached it).
   */
  @Override
  public CompletableFuture<Message> queryStale(Message request, long minIndex) {
    if (appliedIndex() >= minIndex) {
      return query(request);
    }
    CompletableFuture<Void> ready = waiting.computeIfAbsent(minIndex, k -> new CompletableFuture<>());
    long applied = appliedIndex();
    if (applied >= minIndex) { // applied between the check and the registration
      releaseReadersUpTo(applied);
    }
    return ready.thenCompose(v -> query(request));
  }

  /** Index of the last entry of any kind applied; {@link #state} is set before it moves. */
  private long appliedIndex() {
    var ti = getLastAppliedTermIndex();
    return ti == null ? -1 : ti.getIndex();
  }

  private void releaseReadersUpTo(long index) {
    if (waiting.isEmpty()) {
      return;
    }
    for (Map.Entry<Long, CompletableFuture<Void>> e; (e = waiting.firstEntry()) != null
        && e.getKey() <= index; ) {
      if (waiting.remove(e.getKey(), e.getValue())) {
        e.getValue().complete(null);
      }
    }
  }
}
