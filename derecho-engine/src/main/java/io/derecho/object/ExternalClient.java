package io.derecho.object;

import io.derecho.codec.BinaryCodec;
import io.derecho.codec.Codec;
import io.derecho.codec.CodecException;
import io.derecho.runtime.ClientSession;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process outside the group that uses its replicated objects: it connects to any member, learns
 * the view, runs queries on one member of a shard and ordered calls through one (the member relays
 * them), follows view changes, moves to another member when its member fails, and receives the
 * notifications members push. Thread-safe.
 *
 * <pre>{@code
 * try (ExternalClient client = ExternalClient.connect("kv", List.of("10.0.0.1:7000", "10.0.0.2:7000"))) {
 *     long v = client.ordered(Counter.class, "counters", 0, Call.of(Counter::add, 1L)).get();
 *     long now = client.query(Counter.class, "counters", 0, Call.of(Counter::get)).get();
 * }
 * }</pre>
 *
 * A call in flight when the connection to its member breaks fails with an {@link RpcException}
 * saying so: an ordered call may or may not have taken effect.
 */
public final class ExternalClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalClient.class);

    private record Waiting(CompletableFuture<Object> future, MethodTable.Entry entry, String what) {
    }

    private final String groupName;
    private final List<String> contacts;
    private final Codec codec;
    private final Map<Class<?>, MethodTable> tables = new ConcurrentHashMap<>();
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final Map<String, Consumer<byte[]>> topics = new ConcurrentHashMap<>();
    private final AtomicLong nextCall = new AtomicLong();
    private final Object lock = new Object();
    private volatile ClientSession session;
    private volatile String connectedTo;
    private volatile ClientProtocol.ClientView view;
    private volatile boolean closed;

    private ExternalClient(String groupName, List<String> contacts, Codec codec) {
        this.groupName = groupName;
        this.contacts = List.copyOf(contacts);
        this.codec = codec;
    }

    /** Connects to one of {@code contacts} (members' {@code host:port}) and waits for the view, at most 30 s. */
    public static ExternalClient connect(String groupName, List<String> contacts) throws InterruptedException, TimeoutException {
        return connect(groupName, contacts, BinaryCodec.create(), Duration.ofSeconds(30));
    }

    public static ExternalClient connect(String groupName, List<String> contacts, Codec codec, Duration timeout)
            throws InterruptedException, TimeoutException {
        ExternalClient c = new ExternalClient(groupName, contacts, codec);
        c.reconnect(null, System.nanoTime() + timeout.toNanos());
        return c;
    }

    /** Runs the query {@code call} on one member of {@code shard} of {@code subgroup}. */
    public <T, R> CompletableFuture<R> query(Class<T> type, String subgroup, int shard, Call<T, R> call) {
        return call(type, subgroup, shard, call, false);
    }

    /** Has a member of the shard run {@code call} as an ordered call; completes with that member's reply. */
    public <T, R> CompletableFuture<R> ordered(Class<T> type, String subgroup, int shard, Call<T, R> call) {
        return call(type, subgroup, shard, call, true);
    }

    @SuppressWarnings("unchecked")
    private <T, R> CompletableFuture<R> call(Class<T> type, String subgroup, int shard, Call<T, R> call, boolean relay) {
        MethodTable.Entry e = tables.computeIfAbsent(type, t -> new MethodTable(t, codec)).get(call.method(type));
        if (e.unsupported() != null) {
            throw new IllegalArgumentException("cannot call " + e.describe(type) + " remotely: " + e.unsupported());
        }
        byte[] args;
        try {
            args = e.args().encode(call.args());
        } catch (CodecException ex) {
            throw new IllegalArgumentException("arguments of " + e.signature() + ": " + ex.getMessage(), ex);
        }
        long id = nextCall.incrementAndGet();
        CompletableFuture<Object> f = new CompletableFuture<>();
        String what = e.describe(type) + (relay ? " (ordered, from a client)" : " (query, from a client)");
        waiting.put(id, new Waiting(f, e, what));
        ClientSession s = session;
        if (s == null || !s.isOpen()) {
            waiting.remove(id);
            f.completeExceptionally(new RpcException(what + ": not connected to the group (reconnecting)"));
        } else {
            s.send(ClientProtocol.call(id, subgroup, shard, e.id(), relay, args));
        }
        return (CompletableFuture<R>) f;
    }

    /** Delivers the notifications members push on {@code topic} to {@code listener} (on the client's I/O thread). */
    public void subscribe(String topic, Consumer<byte[]> listener) {
        topics.put(topic, listener);
        ClientSession s = session;
        if (s != null) {
            s.send(ClientProtocol.subscribe(topic));
        }
    }

    /** The member this client is connected to ({@code host:port}), or null while it reconnects. */
    public String connectedTo() {
        return connectedTo;
    }

    /** The id of the last view this client heard of. */
    public int viewId() {
        ClientProtocol.ClientView v = view;
        return v == null ? -1 : v.id();
    }

    /** The members of {@code shard} of {@code subgroup} in the last view heard of. */
    public int[] shardMembers(String subgroup, int shard) {
        return view.shard(subgroup, shard).clone();
    }

    @Override
    public void close() {
        closed = true;
        ClientSession s = session;
        if (s != null) {
            s.close();
        }
        failAll("the client was closed");
    }

    // ---- connection ----

    /** Connects to a member (those of the last view first, then the contacts) and waits for its view. */
    private void reconnect(String lost, long deadline) throws InterruptedException, TimeoutException {
        String lastError = "no member answered";
        while (!closed) {
            LinkedHashSet<String> candidates = new LinkedHashSet<>();
            ClientProtocol.ClientView v = view;
            if (v != null) {
                candidates.addAll(v.members().values());
            }
            candidates.addAll(contacts);
            if (lost != null && candidates.size() > 1) {
                candidates.remove(lost);
                candidates.add(lost);
            }
            for (String address : candidates) {
                CompletableFuture<ClientProtocol.ClientView> first = new CompletableFuture<>();
                ClientSession[] mine = new ClientSession[1];
                try {
                    mine[0] = ClientSession.connect(address, groupName, ClientProtocol.hello(),
                            m -> onMessage(m, first), reason -> onClosed(mine[0], address, reason, first));
                    ClientProtocol.ClientView got = first.get(Math.max(1, Math.min(2_000_000_000L, deadline - System.nanoTime())),
                            java.util.concurrent.TimeUnit.NANOSECONDS);
                    synchronized (lock) {
                        session = mine[0];
                        connectedTo = address;
                        view = got;
                    }
                    topics.keySet().forEach(t -> mine[0].send(ClientProtocol.subscribe(t)));
                    LOG.info("client of group '{}' connected to {} (view {})", groupName, address, got.id());
                    return;
                } catch (java.util.concurrent.ExecutionException | TimeoutException | RuntimeException e) {
                    lastError = address + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                    if (mine[0] != null) {
                        mine[0].close();
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("cannot connect to group '" + groupName + "': " + lastError);
                }
            }
            Thread.sleep(100);
        }
    }

    private void onMessage(byte[] message, CompletableFuture<ClientProtocol.ClientView> first) {
        if (message.length == 0) {
            return; // the member closes the session
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(message);
            byte kind = b.get();
            switch (kind) {
                case ClientProtocol.VIEW -> {
                    ClientProtocol.ClientView v = ClientProtocol.readView(b);
                    if (!first.complete(v)) {
                        view = v;
                    }
                }
                case ClientProtocol.REPLY -> onReply(b);
                case ClientProtocol.NOTIFY -> {
                    String topic = ClientProtocol.string(b);
                    byte[] payload = new byte[b.remaining()];
                    b.get(payload);
                    Consumer<byte[]> l = topics.get(topic);
                    if (l != null) {
                        l.accept(payload);
                    }
                }
                default -> LOG.warn("client of group '{}': ignored a message of unknown kind {}", groupName, kind);
            }
        } catch (BufferUnderflowException e) {
            LOG.warn("client of group '{}': ignored a truncated message from {}", groupName, connectedTo);
        }
    }

    private void onReply(ByteBuffer b) {
        long id = b.getLong();
        int from = b.getInt();
        byte status = b.get();
        b.getLong(); // the call's version
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        Waiting w = waiting.remove(id);
        if (w == null) {
            return;
        }
        if (status == ReplicaHost.OK) {
            try {
                w.future().complete(w.entry().isVoid() ? null : codec.decode(w.entry().reply(), payload));
            } catch (CodecException e) {
                w.future().completeExceptionally(new RpcException(w.what() + ": the reply does not decode: " + e.getMessage()));
            }
            return;
        }
        Object outcome = ReplicaHost.outcome(w.what(), from, status, new String(payload, StandardCharsets.UTF_8));
        w.future().completeExceptionally((Throwable) outcome);
    }

    private void onClosed(ClientSession s, String address, String reason, CompletableFuture<ClientProtocol.ClientView> first) {
        first.completeExceptionally(new RpcException(reason));
        synchronized (lock) {
            if (s == null || session != s) {
                return;
            }
            session = null;
            connectedTo = null;
        }
        failAll("the connection to member " + address + " was lost (" + reason + "); an ordered call may or may not"
                + " have taken effect");
        if (closed) {
            return;
        }
        LOG.info("client of group '{}' lost its member {} ({}); connecting to another", groupName, address, reason);
        Thread.ofVirtual().start(() -> {
            try {
                reconnect(address, Long.MAX_VALUE);
            } catch (InterruptedException | TimeoutException e) {
                LOG.warn("client of group '{}' could not reconnect: {}", groupName, e.getMessage());
            }
        });
    }

    private void failAll(String why) {
        List<Long> ids = new ArrayList<>(waiting.keySet());
        for (long id : ids) {
            Waiting w = waiting.remove(id);
            if (w != null) {
                w.future().completeExceptionally(new RpcException(w.what() + ": " + why));
            }
        }
    }
}
