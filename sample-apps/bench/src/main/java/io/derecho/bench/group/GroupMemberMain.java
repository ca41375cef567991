package io.derecho.bench.group;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.launch.BarrierClient;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.MemberRuntime;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The generic group-member program. A system's member main class is one line:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   GroupMemberMain.run("jgroups", args, JGroupsTransport::new);
 * }
 * }</pre>
 *
 * <p>Arguments (set by {@link GroupRun}): {@code rank}, {@code barrier} (host:port), the
 * {@code cfg.*} keys of {@link BenchConfig#writeTo}, plus any system-specific keys.
 *
 * <p>Sequence: install the orphan guard and hard deadline; connect to the barrier; {@link
 * GroupTransport#join}; print {@code EVENT joined}; barrier round {@code start}; senders send
 * {@code cfg.messagesPerSender()} DATA messages (fewer if {@code cfg.sendDuration()} runs out),
 * each stamped with nanoTime, honouring {@code cfg.window()}, then one END; wait until every
 * sender's END is delivered (or the soft deadline); print {@code RESULT}; barrier round {@code
 * done} (so nobody leaves while others still need it); close; exit.
 */
public final class GroupMemberMain {

  /** Extra time after the soft deadline before the member halts itself. */
  public static final Duration HARD_GRACE = Duration.ofSeconds(15);

  private GroupMemberMain() {}

  public static void run(String system, String[] argv, Supplier<? extends GroupTransport> factory) {
    long start = System.nanoTime();
    MemberArgs args = MemberArgs.parse(argv);
    BenchConfig cfg = BenchConfig.readFrom(args);
    int rank = args.getInt("rank");
    MemberRuntime.install(cfg.timeout().plus(HARD_GRACE));
    MemberContext ctx =
        new MemberContext(system, rank, cfg, args, start, start + cfg.timeout().toNanos());
    DeliveryTracker tracker = new DeliveryTracker(cfg, rank);
    SendWindow window = new SendWindow(cfg.window());
    tracker.onOwnDelivery(window::release);
    boolean reported = false;
    long sent = 0;
    StringBuilder notes = new StringBuilder();
    GroupTransport transport = null;
    int exit = 0;
    BarrierClient barrier = null;
    try {
      barrier = BarrierClient.connect(args.get("barrier"), rank, Duration.ofSeconds(30));
      transport = factory.get();
      transport.join(ctx, tracker);
      ctx.event("joined");
      ctx.log("joined after " + (System.nanoTime() - start) / 1_000_000 + " ms");
      if (cfg.warmupPerSender() > 0) {
        barrier.await("warmup", ctx.remaining());
        if (cfg.isSender(rank)) {
          warmup(ctx, transport, window);
        }
        if (!tracker.awaitWarmupEnds(ctx.softDeadlineNanos())) {
          throw new IllegalStateException("warm-up did not complete by the deadline");
        }
        ctx.log("warm-up done after " + (System.nanoTime() - start) / 1_000_000 + " ms");
      }
      barrier.await("start", ctx.remaining());
      if (cfg.isSender(rank)) {
        SendOutcome so = sendAll(ctx, transport, window);
        sent = so.sent;
        if (!so.note.isEmpty()) {
          notes.append(so.note).append("; ");
        }
      }
      if (!tracker.awaitEnds(ctx.softDeadlineNanos())) {
        notes.append("timeout waiting for deliveries; ");
      }
      String tn = transport.note();
      if (tn != null && !tn.isBlank()) {
        notes.append(tn);
      }
      MemberReport report = tracker.report(system, sent, notes.toString());
      MemberRuntime.result(report.toMap());
      reported = true;
      ctx.log("reported: delivered " + report.delivered() + " in " + report.seconds() + " s");
      long leftMs = ctx.softDeadlineNanos() - System.nanoTime() + HARD_GRACE.toNanos() / 2;
      Duration doneWait = Duration.ofMillis(Math.max(1000, Math.min(60_000, leftMs / 1_000_000)));
      try {
        barrier.await("done", doneWait);
      } catch (Exception e) {
        ctx.log("done barrier: " + e);
      }
      barrier.close();
    } catch (Throwable e) {
      ctx.log("failed: " + e);
      e.printStackTrace();
      if (!reported) {
        MemberReport report =
            tracker.report(system, sent, notes + "member " + rank + " failed: " + oneLine(e));
        MemberRuntime.result(report.toMap());
      }
      if (barrier != null) {
        barrier.fail(oneLine(e)); // peers stop waiting for us
      }
      exit = 1;
    } finally {
      closeQuietly(transport, ctx);
    }
    System.out.flush();
    System.exit(exit);
  }

  private record SendOutcome(long sent, String note) {}

  private static SendOutcome sendAll(MemberContext ctx, GroupTransport t, SendWindow window)
      throws Exception {
    BenchConfig cfg = ctx.cfg();
    long n = cfg.messagesPerSender();
    long capEnd =
        cfg.sendDuration().isZero() ? Long.MAX_VALUE : System.nanoTime() + cfg.sendDuration().toNanos();
    long deadline = ctx.softDeadlineNanos();
    String note = "";
    long seq = 0;
    for (; seq < n; seq++) {
      long now = System.nanoTime();
      if (now - deadline > 0) {
        note = "send loop hit the deadline after " + seq + " messages";
        break;
      }
      if (capEnd != Long.MAX_VALUE && now - capEnd > 0) {
        note = "send time cap: sent " + seq + " of " + n;
        break;
      }
      if (!window.acquire(deadline)) {
        note = "window stalled after " + seq + " messages";
        break;
      }
      t.multicast(Payload.data(cfg.sizeBytes(), ctx.rank(), seq));
    }
    t.multicast(Payload.end(ctx.rank(), seq));
    return new SendOutcome(seq, note);
  }

  private static void warmup(MemberContext ctx, GroupTransport t, SendWindow window)
      throws Exception {
    long n = ctx.cfg().warmupPerSender();
    long seq = 0;
    for (; seq < n && !ctx.pastDeadline(); seq++) {
      if (!window.acquire(ctx.softDeadlineNanos())) {
        break;
      }
      t.multicast(Payload.message(Payload.WARMUP, ctx.cfg().sizeBytes(), ctx.rank(), seq));
    }
    t.multicast(Payload.message(Payload.WARMUP_END, Payload.HEADER, ctx.rank(), seq));
  }

  private static void closeQuietly(GroupTransport t, MemberContext ctx) {
    if (t == null) {
      return;
    }
    Thread closer =
        new Thread(
            () -> {
              try {
                t.close();
              } catch (Exception e) {
                ctx.log("close: " + e);
              }
            },
            "transport-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String oneLine(Throwable e) {
    String m = e.toString().replace('\n', ' ');
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
