package io.derecho.object;

import io.derecho.membership.View;
import io.derecho.multicast.ShardLayout;
import java.lang.reflect.Method;

/**
 * This node's handle on one shard of a replicated type it is a member of: ordered calls (run by
 * every member of the shard, in the same order), point-to-point queries to one member, raw
 * multicasts. Thread-safe.
 *
 * <pre>{@code
 * Replicated<Counter> counter = group.replicated(Counter.class);
 * long v = counter.ordered(Call.of(Counter::add, 5L)).get();          // every replica adds 5
 * long read = counter.p2p(2, Call.of(Counter::value)).get();           // member 2's replica
 * }</pre>
 *
 * @param <T> the replicated type
 */
public final class Replicated<T> {
    private final ReplicaHost host;
    private final Class<T> type;
    private final int subgroup;
    private final int shard;

    Replicated(ReplicaHost host, Class<T> type, int subgroup, int shard) {
        this.host = host;
        this.type = type;
        this.subgroup = subgroup;
        this.shard = shard;
    }

    /**
     * Runs {@code call} on every member of the shard, in the shard's delivery order; waits while the
     * send window is full or a view change is under way. Not from inside an ordered handler.
     */
    public <R> QueryResults<R> ordered(Call<T, R> call) throws InterruptedException {
        return host.ordered(type, subgroup, shard, call.method(type), call.args());
    }

    /** As {@link #ordered(Call)} for a {@link Method} of the type (for proxies). */
    public <R> QueryResults<R> ordered(Method method, Object... args) throws InterruptedException {
        return host.ordered(type, subgroup, shard, method, args);
    }

    /** Runs {@code call} on member {@code node}'s replica alone (a query: it must not change the state). */
    public <R> QueryResults<R> p2p(int node, Call<T, R> call) {
        return host.p2p(type, subgroup, shard, node, call.method(type), call.args(), false);
    }

    /** As {@link #p2p(int, Call)} for a {@link Method} of the type. */
    public <R> QueryResults<R> p2p(int node, Method method, Object... args) {
        return host.p2p(type, subgroup, shard, node, method, args, false);
    }

    /** Multicasts raw bytes in the shard; a replica that is a {@link RawReceiver} gets them in order. */
    public void send(byte[] bytes) throws InterruptedException {
        host.sendRaw(subgroup, shard, bytes);
    }

    /** This node's replica (to read it locally; change it only through ordered calls). */
    @SuppressWarnings("unchecked")
    public T local() {
        return (T) host.replica(subgroup, shard);
    }

    /** The shard's members in the current view. */
    public int[] members() {
        View v = host.view();
        ShardLayout s = v == null ? null : v.layout().findShard(subgroup, shard);
        return s == null ? new int[0] : s.members();
    }

    public int subgroup() {
        return subgroup;
    }

    public int shard() {
        return shard;
    }

    /** The version of the ordered call running on this thread (-1 outside an ordered handler). */
    public static long currentVersion() {
        return HandlerContext.version();
    }

    /** The node whose call is running on this thread. */
    public static int caller() {
        return HandlerContext.caller();
    }
}
