package io.derecho.bench.jgroupsrpc;

import io.derecho.bench.jgroups.JGroupsStack;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.blocks.MethodCall;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.ResponseMode;
import org.jgroups.blocks.RpcDispatcher;
import org.jgroups.util.Rsp;
import org.jgroups.util.RspList;

/**
 * One member of the JGroups RPC group: a {@link JChannel} with the multicast benchmark's ordered
 * stack ({@link JGroupsStack}, defaults, SEQUENCER on) and an {@link RpcDispatcher} serving a
 * {@link CountingSink}.
 *
 * <p>The stack is the one the multicast benchmark's JGroups system uses, unchanged, so the two
 * JGroups results share one tuning (see {@link JGroupsRpcBench} for each setting and why).
 *
 * <p>Calls go to the whole group ({@code dests == null}) as regular (not OOB) messages, so
 * SEQUENCER orders them; {@link ResponseMode#GET_ALL} waits for every member's reply, the caller's
 * own included (JGroups loops a multicast back to its sender and answers it like any other).
 */
final class JGroupsRpcNode implements AutoCloseable {

  /** Group size: this process plus two member processes. */
  static final int MEMBERS = 3;

  private final JChannel channel;
  private final RpcDispatcher dispatcher;
  private final CountingSink sink = new CountingSink();
  private final CompletableFuture<View> fullView = new CompletableFuture<>();
  private final RequestOptions sync;

  private JGroupsRpcNode(String cluster, List<Integer> ports, int rank, Duration callTimeout)
      throws Exception {
    String xml = JGroupsStack.xml(ports.get(rank), ports, JGroupsStack.Options.defaults(true));
    channel = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    channel.name("m" + rank);
    dispatcher = new RpcDispatcher(channel, sink).setMethodInvoker(CountingSink.INVOKER);
    dispatcher.setReceiver(new Receiver() {
      @Override
      public void viewAccepted(View v) {
        if (v.size() > MEMBERS) {
          fullView.completeExceptionally(new IllegalStateException("view larger than expected: " + v));
        } else if (v.size() == MEMBERS) {
          fullView.complete(v);
        }
      }
    });
    sync = RequestOptions.SYNC().mode(ResponseMode.GET_ALL).timeout(callTimeout.toMillis());
  }

  /** Creates the member and joins the group {@code cluster}; the first to join is the sequencer. */
  static JGroupsRpcNode join(String cluster, List<Integer> ports, int rank, Duration callTimeout)
      throws Exception {
    JGroupsRpcNode node = new JGroupsRpcNode(cluster, ports, rank, callTimeout);
    try {
      node.channel.connect(cluster);
      return node;
    } catch (Exception e) {
      node.close();
      throw e;
    }
  }

  /** Waits until the view holds all {@link #MEMBERS} members. */
  View awaitFullView(Duration limit) throws Exception {
    try {
      return fullView.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no view of " + MEMBERS + " members within " + limit
          + "; view " + channel.getView(), e);
    }
  }

  /** One ordered {@code apply(payload)} on every member; returns once all of them replied. */
  void apply(byte[] payload) throws Exception {
    RspList<Long> rsps = dispatcher.callRemoteMethods(null, new MethodCall(CountingSink.APPLY, payload), sync);
    requireAll(rsps);
  }

  /** An ordered query of every member's {@code method} (CALLS or BYTES), by member name. */
  Map<String, Long> queryAll(short method) throws Exception {
    RspList<Long> rsps = dispatcher.callRemoteMethods(null, new MethodCall(method), sync);
    requireAll(rsps);
    Map<String, Long> byMember = new LinkedHashMap<>();
    for (Map.Entry<Address, Rsp<Long>> e : rsps.entrySet()) {
      byMember.put(String.valueOf(e.getKey()), e.getValue().getValue());
    }
    return byMember;
  }

  CountingSink sink() {
    return sink;
  }

  private static void requireAll(RspList<Long> rsps) {
    if (rsps.size() != MEMBERS) {
      throw new IllegalStateException("expected " + MEMBERS + " replies, got " + rsps);
    }
    for (Rsp<Long> r : rsps) {
      if (!r.wasReceived() || r.wasSuspected() || r.wasUnreachable() || r.hasException()) {
        throw new IllegalStateException("a member did not reply: " + rsps, r.getException());
      }
    }
  }

  @Override
  public void close() {
    dispatcher.stop();
    channel.close();
  }
}
