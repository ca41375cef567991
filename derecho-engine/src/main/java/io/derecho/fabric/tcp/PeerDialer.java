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
 * once a link is up. Repeated failures are logged once and reported to the core once; a "not yet a
 * member" refusal is only logged. Once {@link #cancel() cancelled} (the peer was forgotten) it
 * never dials again. Loop thread only.
 */
final class PeerDialer {

    static final long MIN_REDIAL_MILLIS = 100;
    /** First retry after a "not yet a member" refusal. */
    static final long NOT_YET_REDIAL_MILLIS = 10;
    static final long MAX_REDIAL_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(TcpFabric.class);

    private final TcpFabric fabric;
    private final int peerId;
    private InetSocketAddress address;
    private String described;
    private long backoffMillis = MIN_REDIAL_MILLIS;
    private ScheduledFuture<?> retry;
    /** The connection of the attempt in flight, or of the link it made; null between attempts. */
    private Channel attempt;
    private boolean cancelled;
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
        if (cancelled || attempt != null || fabric.isClosed() || fabric.hasLink(peerId)) {
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
        Channel channel = connect.channel();
        attempt = channel;
        connect.addListener(f -> {
            if (!f.isSuccess() && !fabric.isClosed() && !cancelled) {
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
        channel.closeFuture().addListener(f -> {
            if (attempt == channel) {
                attempt = null;
            }
            scheduleRedial();
        });
    }

    private void scheduleRedial() {
        if (cancelled || fabric.isClosed() || retry != null) {
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
        if (cancelled || fabric.isClosed()) {
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

    /**
     * The peer refused this node for now ({@link TcpFabric#NOT_YET_A_MEMBER}): it has not installed
     * the view that contains this node. Logged (INFO once, then DEBUG) and retried, first after 10 ms
     * then with the usual doubling backoff, but not reported to the core, which would otherwise
     * suspect a healthy peer.
     */
    void refusedForNow(String error) {
        if (cancelled || fabric.isClosed()) {
            return;
        }
        fabric.recordError(peerId, error);
        // The peer installs the view that lists this node within milliseconds: ask again soon, not after 100 ms.
        if (!error.equals(lastLogged)) {
            backoffMillis = NOT_YET_REDIAL_MILLIS;
        }
        if (error.equals(lastLogged)) {
            LOG.debug("{}: {} (retrying)", fabric.me(), error);
        } else {
            lastLogged = error;
            LOG.info("{}: {} (retrying)", fabric.me(), error);
        }
    }

    /**
     * The peer moved: dial {@code newAddress} from now on. If no attempt is in flight, dials it
     * now (when {@code dialNow}) instead of waiting out the backoff for the old address.
     */
    void readdress(InetSocketAddress newAddress, boolean dialNow) {
        address = newAddress;
        described = TcpFabric.describe(newAddress);
        backoffMillis = MIN_REDIAL_MILLIS;
        lastLogged = null;
        lastReported = null;
        if (dialNow && attempt == null && !fabric.hasLink(peerId)) {
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
            dial();
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Stops dialing for good, and abandons an attempt in flight (a link is the fabric's to close). */
    void cancel() {
        cancelled = true;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        if (attempt != null && !fabric.hasLink(peerId)) {
            attempt.close();
        }
    }
}
