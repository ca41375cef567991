package io.derecho.fabric.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's end of one join request, after the JOIN was accepted: the {@link JoinChannel} handed
 * to the {@link JoinService}. It is not a link (no frames, not in {@code connectedPeers}) and has
 * no idle timeout; it stays open until the last reply, the joiner's close or the fabric's close.
 * The joiner has nothing more to say after its JOIN, so any further byte closes the connection.
 */
final class JoinRequestHandler extends ChannelInboundHandlerAdapter implements JoinChannel {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFabric.class);

    private final String me;
    private final Channel channel;
    private final String remote;
    private volatile boolean lastSent;

    private JoinRequestHandler(String me, Channel channel) {
        this.me = me;
        this.channel = channel;
        this.remote = TcpFabric.describe(channel.remoteAddress());
    }

    /**
     * Replaces the handshake handler of {@code ctx} (which sees no more bytes) with a join
     * handler, and hands the request to {@code service}; a failing service closes the connection.
     */
    static void takeOver(String me, ChannelHandlerContext ctx, byte[] payload, JoinService service) {
        JoinRequestHandler channel = new JoinRequestHandler(me, ctx.channel());
        ctx.pipeline().addAfter(ctx.name(), "join", channel);
        ctx.pipeline().remove(ctx.handler());
        LOG.info("{}: join request of {} bytes from {}", me, payload.length, channel.remote);
        if (service == null || !ctx.channel().isActive()) {
            ctx.channel().close();
            return;
        }
        try {
            service.onJoinRequest(payload, channel);
        } catch (RuntimeException e) {
            LOG.error("{}: the join service failed on the request from {}; closing it", me,
                    channel.remote, e);
            ctx.channel().close();
        }
    }

    @Override
    public void reply(byte[] payload, boolean last) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > TcpFabric.MAX_JOIN_BYTES) {
            throw new IllegalArgumentException("join reply of " + payload.length + " bytes to "
                    + remote + " exceeds the limit of " + TcpFabric.MAX_JOIN_BYTES + " bytes");
        }
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> reply(payload, last));
            return;
        }
        if (!isOpen()) {
            LOG.debug("{}: join reply to {} dropped: the join connection is closed", me, remote);
            return;
        }
        ByteBuf buf = channel.alloc().buffer(HandshakeCodec.PREFIX_BYTES + 4 + payload.length);
        HandshakeCodec.writeJoinReply(buf, payload);
        if (last) {
            lastSent = true;
            channel.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    @Override
    public boolean isOpen() {
        return !lastSent && channel.isActive();
    }

    @Override
    public void onClose(Runnable task) {
        Objects.requireNonNull(task, "task");
        channel.closeFuture().addListener(f -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{}: a close task of the join connection from {} failed", me, remote, e);
            }
        });
    }

    @Override
    public String remote() {
        return remote;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        int bytes = msg instanceof ByteBuf b ? b.readableBytes() : 0;
        ReferenceCountUtil.release(msg);
        if (ctx.channel().isActive()) {
            LOG.warn("{}: closing the join connection from {}: {} unexpected bytes after the JOIN",
                    me, remote, bytes);
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("{}: join connection from {} failed: {}", me, remote, TcpFabric.messageOf(cause));
        ctx.close();
    }

    @Override
    public String toString() {
        return "join request from " + remote;
    }
}
