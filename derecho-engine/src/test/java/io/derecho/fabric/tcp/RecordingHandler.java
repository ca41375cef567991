package io.derecho.fabric.tcp;

import io.derecho.fabric.InboundHandler;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An InboundHandler that records what the fabric tells it, and whether it was told on the loop. */
class RecordingHandler implements InboundHandler {

    record LinkDown(int nodeId, String reason) {
    }

    record Frame(int from, byte[] body) {
    }

    final EventLoop loop;
    final List<LinkDown> linkDowns = new CopyOnWriteArrayList<>();
    final Queue<Frame> frames = new ConcurrentLinkedQueue<>();
    final Queue<String> threadViolations = new ConcurrentLinkedQueue<>();
    final AtomicLong frameCount = new AtomicLong();
    final AtomicLong batchEnds = new AtomicLong();

    RecordingHandler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void onFrame(int fromNodeId, ByteBuffer frame) {
        checkThread("onFrame");
        frameCount.incrementAndGet();
        handleFrame(fromNodeId, frame);
    }

    /** Keeps a copy of the frame; subclasses that stream many frames check them instead. */
    void handleFrame(int fromNodeId, ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        frames.add(new Frame(fromNodeId, copy));
    }

    @Override
    public void onBatchEnd() {
        checkThread("onBatchEnd");
        batchEnds.incrementAndGet();
    }

    @Override
    public void onLinkDown(int nodeId, String reason) {
        checkThread("onLinkDown");
        linkDowns.add(new LinkDown(nodeId, reason));
    }

    private void checkThread(String what) {
        if (!loop.inEventLoop()) {
            threadViolations.add(what + " on " + Thread.currentThread().getName());
        }
    }
}
