package io.derecho.object;

/**
 * What an ordered handler can ask about the call it is running: its version and its caller.
 * Outside a handler (a query, another thread) {@link #version()} is -1 and {@link #caller()} the
 * query's caller or -1.
 */
public final class HandlerContext {
    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<java.util.concurrent.locks.ReentrantReadWriteLock> HELD = new ThreadLocal<>();

    private HandlerContext() {
    }

    /** The version of the ordered call being run: view id in the high 32 bits, position in the shard's order below. */
    public static long version() {
        long[] c = CURRENT.get();
        return c == null ? -1 : c[0];
    }

    /** The node that issued the call being run. */
    public static int caller() {
        long[] c = CURRENT.get();
        return c == null ? -1 : (int) c[1];
    }

    /** Whether this thread is running an ordered handler (ordered calls cannot be made from one). */
    public static boolean inOrderedHandler() {
        long[] c = CURRENT.get();
        return c != null && c[0] >= 0;
    }

    static long[] enter(long version, int caller) {
        long[] before = CURRENT.get();
        CURRENT.set(new long[] {version, caller});
        return before;
    }

    /** The replica lock the running ordered handler holds (released while it waits for a nested call). */
    static void holding(java.util.concurrent.locks.ReentrantReadWriteLock lock) {
        if (lock == null) {
            HELD.remove();
        } else {
            HELD.set(lock);
        }
    }

    /**
     * Releases the replica lock this thread's ordered handler holds, so that queries (this
     * node's, and those the call it waits for makes back) can run meanwhile, as a monitor's
     * {@code wait} does; returns what takes it back.
     */
    static Runnable releaseWhileWaiting() {
        var lock = HELD.get();
        if (lock == null || !lock.isWriteLockedByCurrentThread()) {
            return () -> { };
        }
        int holds = lock.getWriteHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.writeLock().unlock();
        }
        return () -> {
            for (int i = 0; i < holds; i++) {
                lock.writeLock().lock();
            }
        };
    }

    static void exit(long[] before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }
}
