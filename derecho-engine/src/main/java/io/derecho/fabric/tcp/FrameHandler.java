package io.derecho.fabric.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/**
 * Splits an established link's byte stream into frames (uint32 big-endian body length, then the
 * body) and hands each body to the fabric straight out of the cumulation buffer: no copy, no
 * per-frame allocation. The buffer is released by {@link ByteToMessageDecoder} once read.
 */
final class FrameHandler extends ByteToMessageDecoder {

    private final TcpFabric fabric;
    private final Link link;

    FrameHandler(TcpFabric fabric, Link link) {
        this.fabric = fabric;
        this.link = link;
        // Keep reads as separate components instead of copying them into one growing buffer: a
        // large frame then reaches the core as a few pieces, copied once, into its final place.
        setCumulator(COMPOSITE_CUMULATOR);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            if (link.down || !ctx.channel().isActive()) {
                in.skipBytes(in.readableBytes());
                return;
            }
            int r = in.readerIndex();
            long length = in.getUnsignedInt(r);
            // Read each time: setMaxFrameBytes applies to links that are already up.
            int maxFrameBytes = fabric.maxFrameBytes();
            if (length > maxFrameBytes) {
                in.skipBytes(in.readableBytes());
                fabric.linkError(link, "frame of " + length + " bytes from node " + link.peerId
                        + " exceeds maxFrameBytes " + maxFrameBytes, null);
                return;
            }
            if (in.readableBytes() - 4 < length) {
                return;
            }
            ByteBuffer[] body = in.nioBuffers(r + 4, (int) length);
            in.skipBytes(4 + (int) length);
            fabric.deliver(link, body);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fabric.linkClosed(link);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() != null) {
            // Thrown from decode(), i.e. by the InboundHandler while handling a frame.
            fabric.linkError(link, "handling a frame from node " + link.peerId + " failed: "
                    + cause.getCause(), cause.getCause());
        } else if (!(cause instanceof ClosedChannelException)) {
            // A write that raced with the close fails with ClosedChannelException: not news.
            fabric.linkLost(link, "connection to node " + link.peerId + " at " + link.remote
                    + " failed: " + TcpFabric.messageOf(cause));
        }
    }
}
