package io.derecho.fabric.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.fabric.InboundHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Three single-thread loop groups shared by a test class, and fabrics closed after each test. */
abstract class TcpFabricTestBase {

    static final String GROUP = "g";
    private static final EventLoopGroup[] GROUPS = new EventLoopGroup[3];

    private final List<TcpFabric> fabrics = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startLoops() {
        for (int i = 0; i < GROUPS.length; i++) {
            GROUPS[i] = TcpFabric.newLoopGroup("fabric-test-loop-" + i);
        }
    }

    @AfterAll
    static void stopLoops() {
        for (EventLoopGroup g : GROUPS) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @AfterEach
    void closeFabrics() {
        fabrics.forEach(TcpFabric::close);
    }

    static EventLoop loop(int i) {
        return GROUPS[i].next();
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
    }

    /** Runs {@code task} on {@code loop}, waits (at most 5 s) and returns its result or throws what it threw. */
    static <T> T callOnLoop(EventLoop loop, Callable<T> task) throws Exception {
        try {
            return loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Runs {@code task} on {@code loop} and waits (at most 5 s) for it; rethrows what it threw. */
    static void runOnLoop(EventLoop loop, Runnable task) throws Exception {
        callOnLoop(loop, () -> {
            task.run();
            return null;
        });
    }

    TcpFabric fabric(TcpFabricConfig config, EventLoop loop, InboundHandler handler) {
        return track(new TcpFabric(config, loop, handler));
    }

    TcpFabric fabric(TcpFabricConfig config, EventLoop loop, InboundHandler handler,
                     Duration handshakeTimeout) {
        return track(new TcpFabric(config, loop, handler, handshakeTimeout));
    }

    private TcpFabric track(TcpFabric f) {
        fabrics.add(f);
        return f;
    }

    /** Sends one frame from {@code from} to {@code toId} and waits until {@code toHandler} has it. */
    static void assertLinkCarries(TcpFabric from, EventLoop fromLoop, int fromId, int toId,
                                  RecordingHandler toHandler, byte... body) {
        fromLoop.execute(() -> {
            from.send(toId, ByteBuffer.wrap(body.clone()));
            from.flush();
        });
        await().until(() -> toHandler.frames.stream()
                .anyMatch(f -> f.from() == fromId && Arrays.equals(f.body(), body)));
        assertThat(toHandler.threadViolations).isEmpty();
    }
}
