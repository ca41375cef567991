package io.derecho.fabric.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's end of one join request, after the JOIN was accepted: the {@link JoinChannel} handed
 * to the {@link JoinService}. It is not a link (no frames, not in {@code connectedPeers}) and has
 * no idle timeout; it stays open until the last reply, the joiner's close or the fabric's close.
 * A joiner has nothing more to say after its JOIN; a client session may send more messages (in the
 * JOIN_REPLY encoding) once the service set {@link #onMessage} — without a listener, any further
 * byte closes the connection.
 */
final class JoinRequestHandler extends ByteToMessageDecoder implements JoinChannel {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFabric.class);

    private final String me;
    private final Channel channel;
    private final String remote;
    private volatile boolean lastSent;
    private volatile java.util.function.Consumer<byte[]> listener;

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
    public void onMessage(java.util.function.Consumer<byte[]> l) {
        this.listener = l;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable() && ctx.channel().isActive()) {
            java.util.function.Consumer<byte[]> l = listener;
            if (l == null) {
                LOG.warn("{}: closing the join connection from {}: {} unexpected bytes after the JOIN",
                        me, remote, in.readableBytes());
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            HandshakeCodec.Message message;
            try {
                message = HandshakeCodec.decode(in, HandshakeCodec.Side.JOINER);
            } catch (HandshakeCodec.HandshakeException e) {
                LOG.warn("{}: closing the session from {}: {}", me, remote, e.getMessage());
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (message == null) {
                return;
            }
            if (!(message instanceof HandshakeCodec.JoinReply m)) {
                ctx.close();
                return;
            }
            try {
                l.accept(m.payload());
            } catch (RuntimeException e) {
                LOG.error("{}: the session listener failed on a message from {}; closing it", me, remote, e);
                ctx.close();
            }
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
