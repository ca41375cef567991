package io.derecho.bench.group;

/**
 * The part of a group member that is specific to one system (JGroups, Derecho, ...). {@link
 * GroupMemberMain} does everything else: arguments, barrier, send loop, window, delivery
 * tracking, the {@code RESULT} line.
 *
 * <p>Life cycle: {@link #join} once, then {@link #multicast} from one thread (the harness's send
 * thread) while deliveries arrive on the transport's own threads, then {@link #close()}.
 */
public interface GroupTransport extends AutoCloseable {

  /**
   * Creates/joins the group and returns once all {@code ctx.cfg().nodes()} members are present.
   * Call {@code ctx.event("listening")} as soon as this member can be contacted by the others
   * (the driver may wait for it on rank 0 before starting the rest). Every message delivered
   * from then on, including this member's own, goes to {@code sink} in delivery order. Must
   * give up (throw) once {@link MemberContext#softDeadlineNanos()} passes.
   */
  void join(MemberContext ctx, PayloadSink sink) throws Exception;

  /**
   * Sends one message to every member (own delivery included): totally ordered when {@code
   * ctx.cfg().ordered()}, FIFO per sender otherwise. May block for flow control. The transport
   * owns {@code payload} afterwards (the harness never reuses it).
   */
  void multicast(byte[] payload) throws Exception;

  /** Optional text appended to this member's report note (e.g. the stack used). */
  default String note() {
    return "";
  }

  /** Leaves the group and releases resources; should not block for long. */
  @Override
  void close() throws Exception;
}
