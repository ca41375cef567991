package io.derecho.multicast;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's sending side in one shard; safe to use from any application thread.
 *
 * <p>A small message is written by the caller straight into the next free slot of this node's
 * SST row (zero copy); a large one into a fresh buffer that the block pipeline then carries. The
 * protocol loop publishes written slots, inserts null messages when the round-robin order would
 * otherwise stall, and raises the free limit as members deliver. Sending blocks while the window
 * is full: the slot a message uses is reused only after every member of the shard delivered it.
 */
public final class ShardSender {
    static final int FLAG_DATA = 0;
    static final int FLAG_NULL = 1;
    static final int FLAG_LARGE = 2;

    private final ShardLayout layout;
    private final ByteBuffer ring;
    private final int slotSize;
    private final int window;
    private final Runnable wakeLoop;
    private final ReentrantLock userMutex = new ReentrantLock();
    private final ReentrantLock slotLock = new ReentrantLock();
    private final ArrayDeque<Long> myLarge = new ArrayDeque<>();
    final ConcurrentLinkedQueue<byte[]> largeOut = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();

    private long nextIndex;            // guarded by slotLock
    private long messages;             // guarded by userMutex: messages sent (nulls excluded)
    private volatile long written;     // slots 0..written-1 are complete
    private volatile long freeLimit;   // indices below this may be written
    private volatile long minDeliveredAll;
    private volatile Thread waiter;
    private volatile String closedReason;
    private volatile boolean wedged;

    private final int viewId;

    /** The view this sender sends in. */
    public int viewId() {
        return viewId;
    }

    ShardSender(int viewId, ShardLayout layout, ByteBuffer ring, Runnable wakeLoop) {
        this.viewId = viewId;
        this.layout = layout;
        this.ring = ring;
        this.slotSize = GroupLayout.slotSize(layout);
        this.window = layout.profile().window();
        this.wakeLoop = wakeLoop;
        this.freeLimit = window;
    }

    /** The shard this sender sends into. */
    public ShardLayout layout() {
        return layout;
    }

    /**
     * Sends a message of {@code size} bytes written by {@code writer}, waiting while the window is
     * full. Returns the message's number (0, 1, 2, ... for this sender in this view), the same
     * number receivers see as the delivery's index.
     *
     * @throws MessageTooLargeException if {@code size} exceeds the profile's maxPayload
     * @throws IllegalStateException    if the sender was closed (the node stopped)
     */
    public long send(int size, MessageWriter writer) throws InterruptedException {
        return send(size, writer, true);
    }

    /** Like {@link #send} but returns -1 at once instead of waiting for a free slot. */
    public long trySend(int size, MessageWriter writer) {
        try {
            return send(size, writer, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends a copy of {@code payload}. */
    public long send(byte[] payload) throws InterruptedException {
        return send(payload.length, b -> b.put(payload));
    }

    /**
     * Sends {@code payload} and takes it over: the caller must not touch the array again. A large
     * message then travels from this very array (no copy); a small one is copied into its slot.
     */
    public long sendOwned(byte[] payload) throws InterruptedException {
        return send(payload.length, null, payload, true);
    }

    /** Like {@link #sendOwned} but returns -1 at once instead of waiting for a free slot. */
    public long trySendOwned(byte[] payload) {
        try {
            return send(payload.length, null, payload, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private long send(int size, MessageWriter writer, boolean block) throws InterruptedException {
        return send(size, writer, null, block);
    }

    private long send(int size, MessageWriter writer, byte[] owned, boolean block) throws InterruptedException {
        if (size < 0 || size > layout.profile().maxPayload()) {
            throw new MessageTooLargeException("message of " + size + " bytes exceeds maxPayload "
                    + layout.profile().maxPayload() + " of profile '" + layout.profile().name() + "' (subgroup "
                    + layout.subgroupName() + ", shard " + layout.shard() + ")");
        }
        boolean large = size > layout.profile().maxSmcPayload();
        if (block) {
            userMutex.lockInterruptibly();
        } else if (!userMutex.tryLock()) {
            return -1;
        }
        try {
            long index;
            slotLock.lock();
            try {
                while (!canWrite(large)) {
                    if (!block) {
                        return -1;
                    }
                    waiter = Thread.currentThread();
                    if (canWrite(large)) {
                        waiter = null;
                        break;
                    }
                    slotLock.unlock();
                    try {
                        LockSupport.park(this);
                        if (Thread.interrupted()) {
                            throw new InterruptedException();
                        }
                    } finally {
                        slotLock.lock();
                        waiter = null;
                    }
                }
                index = nextIndex;
                int off = slotOffset(index);
                if (large) {
                    byte[] data = owned;
                    if (data == null) {
                        data = new byte[size];
                        writer.write(ByteBuffer.wrap(data));
                    }
                    largeOut.add(data);
                    myLarge.add(index);
                    ring.putInt(off + 8, size).putInt(off + 12, FLAG_LARGE);
                } else {
                    if (owned != null) {
                        ring.put(off + GroupLayout.SLOT_HEADER, owned);
                    } else {
                        writer.write(ring.slice(off + GroupLayout.SLOT_HEADER, size));
                    }
                    ring.putInt(off + 8, size).putInt(off + 12, FLAG_DATA);
                }
                ring.putLong(off, index + 1);
                nextIndex = index + 1;
                written = index + 1;
            } finally {
                slotLock.unlock();
            }
            if (wakePending.compareAndSet(false, true)) {
                wakeLoop.run();
            }
            return messages++;
        } finally {
            userMutex.unlock();
        }
    }

    private boolean canWrite(boolean large) {
        if (wedged) {
            throw new ViewWedgedException("the view of " + layout.subgroupName() + "/" + layout.shard()
                    + " is ending; send again in the next view");
        }
        String reason = closedReason;
        if (reason != null) {
            throw new IllegalStateException("cannot send in " + layout.subgroupName() + "/" + layout.shard() + ": " + reason);
        }
        if (nextIndex >= freeLimit) {
            return false;
        }
        if (!large) {
            return true;
        }
        long minDel = minDeliveredAll;
        while (!myLarge.isEmpty() && myLarge.peekFirst() < minDel) {
            myLarge.pollFirst();
        }
        return myLarge.size() < layout.profile().largeWindow();
    }

    int slotOffset(long index) {
        return (int) (index % window) * slotSize;
    }

    // ---- protocol loop side ----

    long written() {
        wakePending.set(false);
        return written;
    }

    /** Writes null messages up to {@code target} unless an application send is under way. */
    void fillNulls(long target) {
        if (!slotLock.tryLock()) {
            return;
        }
        try {
            long i = nextIndex;
            if (i != written) {
                return;
            }
            long limit = Math.min(target, freeLimit);
            for (; i < limit; i++) {
                int off = slotOffset(i);
                ring.putInt(off + 8, 0).putInt(off + 12, FLAG_NULL).putLong(off, i + 1);
            }
            nextIndex = i;
            written = i;
        } finally {
            slotLock.unlock();
        }
    }

    void setLimits(long minDelivered) {
        minDeliveredAll = minDelivered;
        freeLimit = minDelivered + window;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    String describe() {
        return "written=" + written + " freeLimit=" + freeLimit + " minDeliveredAll=" + minDeliveredAll
                + " waiting=" + (waiter != null);
    }

    /** The view is ending: no more messages in it; a waiting or later send gets {@link ViewWedgedException}. */
    void wedge() {
        slotLock.lock();
        try {
            wedged = true;
        } finally {
            slotLock.unlock();
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * The messages this sender wrote with index {@code from} or above, nulls left out, in order:
     * what it must send again in the next view. Call after {@link #wedge()}, on the loop.
     */
    java.util.List<byte[]> writtenFrom(long from, java.util.function.LongFunction<byte[]> largeData) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (long i = Math.max(from, written - window); i < written; i++) {
            int off = slotOffset(i);
            int flags = ring.getInt(off + 12);
            if (flags == FLAG_DATA) {
                byte[] b = new byte[ring.getInt(off + 8)];
                ring.get(off + GroupLayout.SLOT_HEADER, b);
                out.add(b);
            } else if (flags == FLAG_LARGE) {
                out.add(largeData.apply(i));
            }
        }
        return out;
    }

    void close(String reason) {
        closedReason = reason;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
