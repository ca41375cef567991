package io.derecho.fabric;

/**
 * Everything the protocol core may ask of the world: time, timers, deferred work and outbound
 * frames. The runtime implements it with a Netty event loop; the simulator with a seeded,
 * single-threaded event queue. The core never reads a clock, starts a thread or opens a socket
 * itself, so the simulator can drive exactly the code that runs in production.
 */
public interface Environment {

    /** Monotonic time in nanoseconds (simulated time in the simulator). */
    long nanoTime();

    /** Runs {@code task} on the protocol loop after {@code delayNanos}. */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the protocol loop soon; callable from any thread. */
    void execute(Runnable task);

    /** The outbound links of this node. */
    Outbound outbound();

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        void cancel();
    }
}
