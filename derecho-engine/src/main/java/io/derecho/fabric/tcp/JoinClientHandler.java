package io.derecho.fabric.tcp;

import io.derecho.fabric.tcp.HandshakeCodec.HandshakeException;
import io.derecho.fabric.tcp.HandshakeCodec.JoinReply;
import io.derecho.fabric.tcp.HandshakeCodec.Reject;
import io.derecho.fabric.tcp.HandshakeCodec.Side;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joiner's end of a join request (see {@link TcpFabric#join}): sends one JOIN, hands every
 * JOIN_REPLY to the caller and reports once, with a reason, how the connection ended. There is no
 * timeout after the connect: the member may hold the request open while it changes the view, and
 * the caller decides how long to wait (and cancels). Loop thread only, except {@link #cancel()}.
 */
final class JoinClientHandler extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFabric.class);

    private final String contact;
    private final String groupName;
    private final byte[] payload;
    private final Consumer<byte[]> onReply;
    private final Consumer<String> onClosed;
    private volatile boolean cancelled;
    /** Why this end is closing the connection, or null while the member holds it open. */
    private String reason;
    private boolean reported;

    private JoinClientHandler(String contact, String groupName, byte[] payload,
                              Consumer<byte[]> onReply, Consumer<String> onClosed) {
        this.contact = contact;
        this.groupName = groupName;
        this.payload = payload;
        this.onReply = onReply;
        this.onClosed = onClosed;
    }

    /** See {@link TcpFabric#join}. */
    static JoinAttempt connect(EventLoop loop, InetSocketAddress contact, String groupName,
                               byte[] payload, Consumer<byte[]> onReply, Consumer<String> onClosed) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(groupName, "groupName");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(onReply, "onReply");
        Objects.requireNonNull(onClosed, "onClosed");
        if (payload.length > TcpFabric.MAX_JOIN_BYTES) {
            throw new IllegalArgumentException("join payload of " + payload.length
                    + " bytes exceeds the limit of " + TcpFabric.MAX_JOIN_BYTES + " bytes");
        }
        int nameBytes = groupName.getBytes(StandardCharsets.UTF_8).length;
        if (groupName.isBlank() || nameBytes > TcpFabricConfig.MAX_GROUP_NAME_BYTES) {
            throw new IllegalArgumentException("the group name of a join must be non-blank and at most "
                    + TcpFabricConfig.MAX_GROUP_NAME_BYTES + " bytes of UTF-8, was "
                    + (groupName.isBlank() ? "'" + groupName + "'" : nameBytes + " bytes"));
        }
        Transport transport = Transport.forLoop(loop);
        JoinClientHandler handler = new JoinClientHandler(TcpFabric.describe(contact), groupName,
                payload.clone(), onReply, onClosed);
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) TcpFabric.DEFAULT_HANDSHAKE_TIMEOUT.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(handler)
                .connect(contact);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                handler.report(handler.cancelled ? "cancelled"
                        : "cannot connect to " + handler.contact + ": " + TcpFabric.messageOf(f.cause()));
            }
        });
        return new JoinAttempt(connect.channel(), handler);
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf join = ctx.alloc().buffer(HandshakeCodec.PREFIX_BYTES + 6 + payload.length + 16);
        HandshakeCodec.writeJoin(join, groupName, payload);
        ctx.writeAndFlush(join).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (reason == null && in.isReadable()) {
            HandshakeCodec.Message message;
            try {
                message = HandshakeCodec.decode(in, Side.JOINER);
            } catch (HandshakeException e) {
                close(ctx, "protocol error from " + contact + ": " + e.getMessage());
                break;
            }
            if (message == null) {
                return;
            }
            if (message instanceof Reject reject) {
                close(ctx, "rejected: " + reject.reason());
            } else {
                try {
                    onReply.accept(((JoinReply) message).payload());
                } catch (RuntimeException e) {
                    LOG.error("join request to {}: the reply handler failed", contact, e);
                    close(ctx, "the reply handler failed: " + e);
                }
            }
        }
        in.skipBytes(in.readableBytes());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        report(reason != null ? reason : cancelled ? "cancelled" : "closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (reason == null) {
            reason = "connection to " + contact + " failed: " + TcpFabric.messageOf(cause);
        }
        ctx.close();
    }

    private void close(ChannelHandlerContext ctx, String why) {
        reason = why;
        ctx.close();
    }

    private void report(String why) {
        if (reported) {
            return;
        }
        reported = true;
        LOG.debug("join request to {} ended: {}", contact, why);
        try {
            onClosed.accept(why);
        } catch (RuntimeException e) {
            LOG.error("join request to {}: the close handler failed", contact, e);
        }
    }
}
