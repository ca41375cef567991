package io.derecho.object;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The replies to one call: for an ordered call one per member of the shard in the view where the
 * call was delivered (known once it is delivered), for a point-to-point call one. Each reply is a
 * future that completes with the value, a {@link RemoteInvocationException} if the method threw
 * there, or a {@link NodeRemovedException} if the member left before replying.
 *
 * @param <R> the method's return type ({@code Void} for void methods)
 */
public final class QueryResults<R> {
    private final String what;
    private final int preferred;
    private final CompletableFuture<Long> version = new CompletableFuture<>();
    private final CompletableFuture<Map<Integer, CompletableFuture<R>>> replies = new CompletableFuture<>();
    private final CompletableFuture<Map<Integer, R>> all = new CompletableFuture<>();
    private final Map<Integer, Object> early = new HashMap<>();   // replies that came before the delivery
    private Map<Integer, CompletableFuture<R>> byMember;
    private int outstanding;
    private Throwable failure;

    QueryResults(String what, int preferred) {
        this.what = what;
        this.preferred = preferred;
    }

    /** The call's version: the view id in the high 32 bits, the position in the shard's order below. */
    public CompletableFuture<Long> version() {
        return version;
    }

    /** Each member's reply, once the call was delivered and its repliers are known. */
    public CompletableFuture<Map<Integer, CompletableFuture<R>>> replies() {
        return replies;
    }

    /** Every member's value; fails with the first failed reply. */
    public CompletableFuture<Map<Integer, R>> all() {
        return all;
    }

    /**
     * A reply value: this node's own when it replied, otherwise the first member's that succeeded;
     * waits for every reply. Throws the failure if no member replied with a value. Called inside an
     * ordered handler (a nested point-to-point call), it releases the replica while it waits, like
     * a monitor's {@code wait}: queries can read the replica meanwhile.
     */
    public R get() throws InterruptedException {
        try {
            return get(Duration.ofDays(365));
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #get()}, waiting at most {@code timeout}. */
    public R get(Duration timeout) throws InterruptedException, TimeoutException {
        // Inside an ordered handler: let queries of the replica run while this call is awaited.
        Runnable relock = HandlerContext.releaseWhileWaiting();
        try {
            return awaitValue(timeout);
        } finally {
            relock.run();
        }
    }

    /**
     * This node's own reply when it is one of the repliers (an ordered call from a member of the
     * shard), without waiting for the other members' replies; otherwise as {@link #get(Duration)}.
     * For an ordered call that is enough: it was delivered here only once every member had
     * received it, so every member that stays in the view delivers it too (at about the same time:
     * a query of another replica just after may not see it yet).
     */
    public R getOwn(Duration timeout) throws InterruptedException, TimeoutException {
        Runnable relock = HandlerContext.releaseWhileWaiting();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<Integer, CompletableFuture<R>> map = await(replies, deadline);
            CompletableFuture<R> own = map.get(preferred);
            return own != null ? await(own, deadline) : awaitValue(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } finally {
            relock.run();
        }
    }

    private R awaitValue(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, CompletableFuture<R>> map = await(replies, deadline);
        RuntimeException failure = null;
        R value = null;
        boolean found = false;
        List<Integer> order = new java.util.ArrayList<>(map.keySet());
        order.remove((Integer) preferred);
        if (map.containsKey(preferred)) {
            order.addFirst(preferred);
        }
        for (int member : order) {
            try {
                R v = await(map.get(member), deadline);
                if (!found) {
                    value = v;
                    found = true;
                }
            } catch (RpcException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (!found && failure != null) {
            throw failure;
        }
        return value;
    }

    private static <V> V await(CompletableFuture<V> f, long deadline) throws InterruptedException, TimeoutException {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpcException r) {
                throw r;
            }
            throw new RpcException("call failed: " + e.getCause(), e.getCause());
        }
    }

    // ---- completion, by the replica host ----

    /** The call was delivered at {@code v}; {@code members} will reply. */
    synchronized void delivered(long v, int[] members) {
        if (byMember != null) {
            return;
        }
        byMember = new LinkedHashMap<>();
        for (int m : members) {
            byMember.put(m, new CompletableFuture<>());
        }
        version.complete(v);
        replies.complete(java.util.Collections.unmodifiableMap(byMember));
        outstanding = members.length;
        early.forEach(this::complete);
        early.clear();
    }

    boolean isDelivered() {
        return version.isDone();
    }

    /** A reply (a value, or a Throwable) from {@code member}. */
    synchronized void reply(int member, Object outcome) {
        if (byMember == null) {
            early.put(member, outcome);
            return;
        }
        complete(member, outcome);
    }

    @SuppressWarnings("unchecked")
    private void complete(int member, Object outcome) {
        CompletableFuture<R> f = byMember.get(member);
        if (f == null) {
            return;
        }
        boolean first = outcome instanceof Throwable t ? f.completeExceptionally(t) : f.complete((R) outcome);
        if (!first) {
            return;
        }
        if (outcome instanceof Throwable t && failure == null) {
            failure = t;
        }
        if (--outstanding == 0) {
            // Every member answered: all() completes with the values, or with the first failure.
            if (failure != null) {
                all.completeExceptionally(failure);
            } else {
                Map<Integer, R> values = new LinkedHashMap<>();
                byMember.forEach((m, x) -> values.put(m, x.join()));
                all.complete(values);
            }
        }
    }

    /** {@code member} left the view: its reply will not come. */
    synchronized void memberGone(int member) {
        if (byMember != null) {
            complete(member, new NodeRemovedException(member, what));
        }
    }

    /** The call cannot complete at all (the caller stopped, the send failed, the only replier left). */
    synchronized void fail(RuntimeException e) {
        version.completeExceptionally(e);
        replies.completeExceptionally(e);
        all.completeExceptionally(e);
        if (byMember != null) {
            byMember.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    synchronized boolean done() {
        return all.isDone();
    }

    /** The members still expected to reply, or null before the delivery. */
    synchronized List<Integer> waitingFor() {
        if (byMember == null) {
            return null;
        }
        return byMember.entrySet().stream().filter(e -> !e.getValue().isDone()).map(Map.Entry::getKey).toList();
    }

    @Override
    public String toString() {
        return "results of " + what;
    }
}
