package io.derecho.object;

/** Which node a handler runs on, for test replicas that need their group (set per thread by the test's groups). */
final class HandlerContextProbe {
    private HandlerContextProbe() {
    }

    static int self() {
        String name = Thread.currentThread().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }
}
