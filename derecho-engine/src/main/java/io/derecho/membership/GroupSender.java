package io.derecho.membership;

import io.derecho.multicast.MessageWriter;
import io.derecho.multicast.ShardSender;
import io.derecho.multicast.ViewWedgedException;

/**
 * The application's sender into one shard, valid across views: a send that meets a view change
 * waits for the next view and goes out there, after the messages this node sends again from the
 * ending view, so FIFO per sender holds across views. Thread-safe.
 */
public final class GroupSender {
    private final ViewManager views;
    private final int subgroup;
    private final int shard;

    GroupSender(ViewManager views, int subgroup, int shard) {
        this.views = views;
        this.subgroup = subgroup;
        this.shard = shard;
    }

    /** Sends {@code size} bytes written by {@code writer} (zero copy), waiting for a slot and across view changes. */
    public void send(int size, MessageWriter writer) throws InterruptedException {
        while (true) {
            ShardSender s = currentOrWait();
            if (s == null) {
                continue;
            }
            try {
                s.send(size, writer);
                return;
            } catch (ViewWedgedException e) {
                views.awaitViewAfter(s.viewId());
            }
        }
    }

    /** Sends a copy of {@code payload}. */
    public void send(byte[] payload) throws InterruptedException {
        send(payload.length, b -> b.put(payload));
    }

    /** Sends {@code payload} and takes it over (the caller must not touch it again). */
    public void sendOwned(byte[] payload) throws InterruptedException {
        while (true) {
            ShardSender s = currentOrWait();
            if (s == null) {
                continue;
            }
            try {
                s.sendOwned(payload);
                return;
            } catch (ViewWedgedException e) {
                views.awaitViewAfter(s.viewId());
            }
        }
    }

    /** Sends without waiting; false if the window is full or a view change is under way. */
    public boolean trySendOwned(byte[] payload) {
        try {
            return current().trySendOwned(payload) >= 0;
        } catch (ViewWedgedException e) {
            return false;
        }
    }

    /** This view's sender, or null after waiting for the next view when there is no view to send in. */
    private ShardSender currentOrWait() throws InterruptedException {
        int viewId = views.viewId();
        try {
            return current();
        } catch (ViewWedgedException e) {
            views.awaitViewAfter(viewId);
            return null;
        }
    }

    private ShardSender current() {
        ShardSender s = views.currentSender(subgroup, shard);
        if (s == null) {
            throw new IllegalStateException("node is not a sender of subgroup " + subgroup + " shard " + shard
                    + " in " + views.view());
        }
        return s;
    }
}
