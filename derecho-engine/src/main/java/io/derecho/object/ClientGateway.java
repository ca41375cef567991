package io.derecho.object;

import io.derecho.membership.View;
import io.derecho.multicast.ShardLayout;
import io.derecho.runtime.ClientSession;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's service to external clients: it tells each connected client the view (and every new
 * one), runs or forwards its calls (queries to one member of the shard, ordered calls relayed
 * through one), and pushes notifications of the topics it subscribed to.
 */
final class ClientGateway implements ClientSession.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ClientGateway.class);

    private final ReplicaHost host;
    private final Map<ClientSession, Set<String>> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    ClientGateway(ReplicaHost host) {
        this.host = host;
    }

    @Override
    public void onOpen(ClientSession session, byte[] hello) {
        int version = hello.length >= 5 ? ByteBuffer.wrap(hello, 1, 4).getInt() : -1;
        if (version != ClientProtocol.VERSION) {
            LOG.warn("node {}: refused client {}: client protocol version {} (this node speaks {})", host.nodeId(),
                    session.remote(), version, ClientProtocol.VERSION);
            session.close();
            return;
        }
        sessions.put(session, ConcurrentHashMap.newKeySet());
        LOG.info("node {}: client {} connected ({} clients)", host.nodeId(), session.remote(), sessions.size());
        View v = host.view();
        if (v != null) {
            session.send(ClientProtocol.view(v));
        }
    }

    @Override
    public void onClose(ClientSession session) {
        if (sessions.remove(session) != null) {
            LOG.info("node {}: client {} disconnected", host.nodeId(), session.remote());
        }
    }

    @Override
    public void onMessage(ClientSession session, byte[] message) {
        try {
            ByteBuffer b = ByteBuffer.wrap(message);
            byte kind = b.get();
            if (kind == ClientProtocol.SUBSCRIBE) {
                Set<String> topics = sessions.get(session);
                if (topics != null) {
                    topics.add(ClientProtocol.string(b));
                }
                return;
            }
            if (kind != ClientProtocol.CALL) {
                throw new IllegalArgumentException("unknown message kind " + kind);
            }
            long callId = b.getLong();
            String subgroup = ClientProtocol.string(b);
            int shard = b.getInt();
            int methodId = b.getInt();
            boolean relay = b.get() != 0;
            byte[] args = new byte[b.remaining()];
            b.get(args);
            call(session, callId, subgroup, shard, methodId, relay, args);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            LOG.warn("node {}: closing client {}: malformed message ({})", host.nodeId(), session.remote(),
                    e.getMessage() == null ? "truncated" : e.getMessage());
            session.close();
        }
    }

    private void call(ClientSession session, long callId, String subgroup, int shard, int methodId, boolean relay,
                      byte[] args) {
        View v = host.view();
        ShardLayout target = null;
        for (ShardLayout s : v == null ? java.util.List.<ShardLayout>of() : v.layout().shards()) {
            if (s.subgroupName().equals(subgroup) && s.shard() == shard) {
                target = s;
            }
        }
        if (target == null) {
            session.send(ClientProtocol.reply(callId, new ReplicaHost.RawReply(host.nodeId(), ReplicaHost.NOT_MEMBER, -1,
                    ("subgroup " + subgroup + " has no shard " + shard + " in " + v).getBytes(StandardCharsets.UTF_8))));
            return;
        }
        int[] m = target.members();
        int to = target.hasMember(host.nodeId()) ? host.nodeId() : m[Math.floorMod(next.getAndIncrement(), m.length)];
        host.forward(target.subgroup(), shard, to, methodId, args, relay)
                .thenAccept(r -> session.send(ClientProtocol.reply(callId, r)));
    }

    /** A new view: every client hears of it. */
    void onView(View v) {
        byte[] m = ClientProtocol.view(v);
        sessions.keySet().forEach(s -> s.send(m));
    }

    /** Pushes {@code payload} to the clients of this member that subscribed to {@code topic}. */
    int notify(String topic, byte[] payload) {
        byte[] m = ClientProtocol.notify(topic, payload);
        int sent = 0;
        for (var e : sessions.entrySet()) {
            if (e.getValue().contains(topic)) {
                e.getKey().send(m);
                sent++;
            }
        }
        return sent;
    }

    int clients() {
        return sessions.size();
    }
}
