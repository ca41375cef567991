package io.derecho.fabric.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps dialing one peer with a lower node id until a handshaken link is up, and again whenever it
 * breaks: one attempt at a time, 100 ms after a failure, doubling to at most 1 s, back to 100 ms
 * once a link is up. Repeated failures are logged once and reported to the core once. Loop thread
 * only.
 */
final class PeerDialer {

    static final long MIN_REDIAL_MILLIS = 100;
    static final long MAX_REDIAL_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(TcpFabric.class);

    private final TcpFabric fabric;
    private final int peerId;
    private final InetSocketAddress address;
    private final String described;
    private long backoffMillis = MIN_REDIAL_MILLIS;
    private ScheduledFuture<?> retry;
    /** The last failure logged above DEBUG, and the last told to the core, since the link was up. */
    private String lastLogged;
    private String lastReported;

    PeerDialer(TcpFabric fabric, int peerId, InetSocketAddress address) {
        this.fabric = fabric;
        this.peerId = peerId;
        this.address = address;
        this.described = TcpFabric.describe(address);
    }

    void dial() {
        if (fabric.isClosed() || fabric.hasLink(peerId)) {
            return;
        }
        TcpFabricConfig config = fabric.config();
        long timeoutMillis = fabric.handshakeTimeoutMillis();
        Bootstrap bootstrap = new Bootstrap()
                .group(fabric.loop())
                .channel(fabric.transport().socketChannel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (fabric.track(ch)) {
                            ch.pipeline().addLast("handshake", new DialerHandshakeHandler(fabric,
                                    PeerDialer.this, peerId, described, config.groupName(),
                                    config.myNodeId(), timeoutMillis));
                        }
                    }
                });
        Transport.applySocketOptions(bootstrap);
        ChannelFuture connect = bootstrap.connect(address);
        connect.addListener(f -> {
            if (!f.isSuccess() && !fabric.isClosed()) {
                String error = "cannot connect to node " + peerId + " at " + described + ": "
                        + TcpFabric.messageOf(f.cause());
                fabric.recordError(peerId, error);
                if (error.equals(lastLogged)) {
                    LOG.debug("{}: {}", fabric.me(), error);
                } else {
                    lastLogged = error;
                    LOG.info("{}: {} (retrying)", fabric.me(), error);
                }
            }
        });
        // Whether the connect, the handshake or an established link failed: try again later.
        connect.channel().closeFuture().addListener(f -> scheduleRedial());
    }

    private void scheduleRedial() {
        if (fabric.isClosed() || retry != null) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, MAX_REDIAL_MILLIS);
        retry = fabric.loop().schedule(() -> {
            retry = null;
            dial();
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The handshake succeeded. */
    void linkUp() {
        backoffMillis = MIN_REDIAL_MILLIS;
        lastLogged = null;
        lastReported = null;
    }

    /**
     * The handshake failed. {@code protocolError}: refused or answered with nonsense (an ERROR, and
     * reported to the core), as opposed to the connection merely dropping (a WARN).
     */
    void handshakeFailed(String error, boolean protocolError) {
        if (fabric.isClosed()) {
            return;
        }
        fabric.recordError(peerId, error);
        boolean repeated = error.equals(lastLogged);
        lastLogged = error;
        if (repeated) {
            LOG.debug("{}: {}", fabric.me(), error);
        } else if (protocolError) {
            LOG.error("{}: {}", fabric.me(), error);
        } else {
            LOG.warn("{}: {}", fabric.me(), error);
        }
        if (protocolError && !error.equals(lastReported)) {
            lastReported = error;
            fabric.reportLinkDown(peerId, error);
        }
    }

    void cancel() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }
}
