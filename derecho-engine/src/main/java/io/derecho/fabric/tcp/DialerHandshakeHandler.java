package io.derecho.fabric.tcp;

import io.derecho.fabric.tcp.HandshakeCodec.HandshakeException;
import io.derecho.fabric.tcp.HandshakeCodec.Reject;
import io.derecho.fabric.tcp.HandshakeCodec.Welcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dialing side of the handshake: sends HELLO, then waits for WELCOME (the link is up; this
 * handler steps aside for the {@link FrameHandler}) or REJECT (the reason is reported and the
 * connection closed; the fabric dials again later). A REJECT whose reason starts with {@link
 * TcpFabric#NOT_YET_A_MEMBER} is transient (the peer has not installed the view that contains this
 * node yet): it is retried without being reported to the core.
 */
final class DialerHandshakeHandler extends ByteToMessageDecoder {

    private final TcpFabric fabric;
    private final PeerDialer dialer;
    private final int peerId;
    private final String peerAddress;
    private final String groupName;
    private final int myNodeId;
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;
    private boolean finished;

    DialerHandshakeHandler(TcpFabric fabric, PeerDialer dialer, int peerId, String peerAddress,
                           String groupName, int myNodeId, long timeoutMillis) {
        this.fabric = fabric;
        this.dialer = dialer;
        this.peerId = peerId;
        this.peerAddress = peerAddress;
        this.groupName = groupName;
        this.myNodeId = myNodeId;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf hello = ctx.alloc().buffer();
        HandshakeCodec.writeHello(hello, groupName, myNodeId);
        ctx.writeAndFlush(hello, ctx.voidPromise());
        timeout = ctx.executor().schedule(() -> {
            if (!finished) {
                fail(ctx, "handshake with node " + peerId + " at " + peerAddress
                        + " did not complete within " + timeoutMillis + " ms", true);
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            in.skipBytes(in.readableBytes());
            return;
        }
        HandshakeCodec.Message message;
        try {
            message = HandshakeCodec.decode(in, false);
        } catch (HandshakeException e) {
            in.skipBytes(in.readableBytes());
            fail(ctx, "handshake with node " + peerId + " at " + peerAddress + " failed: "
                    + e.getMessage(), true);
            return;
        }
        switch (message) {
            case null -> {
            }
            case Reject reject when reject.reason().startsWith(TcpFabric.NOT_YET_A_MEMBER) -> {
                in.skipBytes(in.readableBytes());
                finish();
                dialer.refusedForNow("refused by node " + peerId + ": " + reject.reason());
                ctx.close();
            }
            case Reject reject -> {
                in.skipBytes(in.readableBytes());
                fail(ctx, "refused by node " + peerId + ": " + reject.reason(), true);
            }
            case Welcome welcome when welcome.nodeId() != peerId -> {
                in.skipBytes(in.readableBytes());
                fail(ctx, "handshake with node " + peerId + " at " + peerAddress
                        + " failed: the node there is node " + welcome.nodeId(), true);
            }
            case Welcome welcome when dialer.isCancelled() -> {
                // Forgotten while the handshake was in flight.
                in.skipBytes(in.readableBytes());
                finish();
                ctx.close();
            }
            case Welcome welcome -> {
                finish();
                fabric.linkUp(peerId, ctx, false);
            }
            default -> throw new IllegalStateException("unexpected " + message);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            finish();
            dialer.handshakeFailed("node " + peerId + " at " + peerAddress
                    + " closed the connection during the handshake", false);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            fail(ctx, "handshake with node " + peerId + " at " + peerAddress + " failed: "
                    + TcpFabric.messageOf(cause), false);
        } else {
            ctx.close();
        }
    }

    private void fail(ChannelHandlerContext ctx, String error, boolean protocolError) {
        finish();
        dialer.handshakeFailed(error, protocolError);
        ctx.close();
    }

    private void finish() {
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
