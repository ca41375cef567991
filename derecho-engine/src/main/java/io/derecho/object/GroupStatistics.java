package io.derecho.object;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one group member since it started: multicast messages and bytes it sent and
 * delivered (ordered calls, their replies excluded, and raw sends), views installed, and members it
 * suspected of having failed. Cheap to update, read at any time (for meters).
 */
public final class GroupStatistics {
    final LongAdder messagesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder messagesDelivered = new LongAdder();
    final LongAdder bytesDelivered = new LongAdder();
    final LongAdder viewsInstalled = new LongAdder();
    final LongAdder failuresSuspected = new LongAdder();

    GroupStatistics() {
    }

    public long messagesSent() {
        return messagesSent.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long messagesDelivered() {
        return messagesDelivered.sum();
    }

    public long bytesDelivered() {
        return bytesDelivered.sum();
    }

    /** Views this node installed (its first included). */
    public long viewsInstalled() {
        return viewsInstalled.sum();
    }

    /** Members this node suspected of having failed (clean leaves are not counted). */
    public long failuresSuspected() {
        return failuresSuspected.sum();
    }
}
