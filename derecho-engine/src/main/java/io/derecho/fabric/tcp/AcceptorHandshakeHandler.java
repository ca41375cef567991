package io.derecho.fabric.tcp;

import io.derecho.fabric.tcp.HandshakeCodec.HandshakeException;
import io.derecho.fabric.tcp.HandshakeCodec.Hello;
import io.derecho.fabric.tcp.HandshakeCodec.Join;
import io.derecho.fabric.tcp.HandshakeCodec.Side;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The accepting side of the handshake: reads HELLO, asks the fabric whether to take the link,
 * answers WELCOME (and steps aside for the {@link FrameHandler}) or REJECT (and closes). Nothing
 * the peer sends before it is welcomed reaches the protocol core. A JOIN instead of a HELLO is a
 * join request: if the fabric takes it, this handler steps aside for a {@link JoinRequestHandler}
 * and the handshake timeout no longer applies.
 */
final class AcceptorHandshakeHandler extends ByteToMessageDecoder {

    private final TcpFabric fabric;
    private final long timeoutMillis;
    private ScheduledFuture<?> timeout;
    private boolean finished;
    private int bytesSeen;

    AcceptorHandshakeHandler(TcpFabric fabric, long timeoutMillis) {
        this.fabric = fabric;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timeout = ctx.executor().schedule(() -> {
            if (!finished) {
                reject(ctx, "handshake did not complete within " + timeoutMillis + " ms");
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
        bytesSeen = in.readableBytes();
        HandshakeCodec.Message message;
        try {
            message = HandshakeCodec.decode(in, Side.ACCEPTOR);
        } catch (HandshakeException e) {
            in.skipBytes(in.readableBytes());
            reject(ctx, e.getMessage());
            return;
        }
        if (message == null) {
            return;
        }
        if (message instanceof Join join) {
            String refusal = fabric.checkJoin(join);
            if (refusal != null) {
                in.skipBytes(in.readableBytes());
                reject(ctx, refusal);
                return;
            }
            finish();
            // Removes this handler; bytes after the JOIN pass on to the JoinRequestHandler.
            fabric.joinRequested(join, ctx);
            return;
        }
        Hello hello = (Hello) message;
        String refusal = fabric.checkHello(hello);
        if (refusal != null) {
            in.skipBytes(in.readableBytes());
            reject(ctx, refusal);
            return;
        }
        finish();
        // Removes this handler; bytes after HELLO (none from a well-behaved dialer) pass on to
        // the FrameHandler.
        fabric.linkUp(hello.nodeId(), ctx, true);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            finish();
            if (bytesSeen > 0) {
                fabric.refused(ctx.channel(), "connection closed after " + bytesSeen
                        + " bytes, before a complete HELLO");
            } else {
                fabric.probed(ctx.channel());
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            finish();
            fabric.refused(ctx.channel(), "connection failed during the handshake: "
                    + TcpFabric.messageOf(cause));
        }
        ctx.close();
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        finish();
        fabric.refused(ctx.channel(), reason);
        ByteBuf reply = ctx.alloc().buffer();
        HandshakeCodec.writeReject(reply, reason);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    private void finish() {
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
