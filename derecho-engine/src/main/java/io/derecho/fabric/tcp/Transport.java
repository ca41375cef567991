package io.derecho.fabric.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.Map;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport under the fabric: native epoll where Netty's epoll library loads, NIO
 * otherwise. Epoll is looked up by name because it is a runtime-only dependency (absent on other
 * operating systems), so this module compiles and runs without it.
 */
final class Transport {

    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final String EPOLL_PACKAGE = "io.netty.channel.epoll.";

    static final Transport NIO =
            new Transport("NIO", NioServerSocketChannel.class, NioSocketChannel.class);

    private static final Transport EPOLL;
    private static final Class<? extends IoHandler> EPOLL_IO_HANDLER;
    private static final IoHandlerFactoryMaker EPOLL_FACTORY;
    private static final String EPOLL_UNAVAILABLE;
    private static final AtomicBoolean EPOLL_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean NIO_LOGGED = new AtomicBoolean();

    static {
        Transport epoll = null;
        Class<? extends IoHandler> ioHandler = null;
        IoHandlerFactoryMaker factory = null;
        String unavailable = null;
        try {
            ClassLoader cl = Transport.class.getClassLoader();
            Class<?> epollClass = Class.forName(EPOLL_PACKAGE + "Epoll", true, cl);
            if ((Boolean) epollClass.getMethod("isAvailable").invoke(null)) {
                ioHandler = Class.forName(EPOLL_PACKAGE + "EpollIoHandler", true, cl)
                        .asSubclass(IoHandler.class);
                var newFactory = ioHandler.getMethod("newFactory");
                factory = () -> (IoHandlerFactory) newFactory.invoke(null);
                epoll = new Transport("epoll",
                        Class.forName(EPOLL_PACKAGE + "EpollServerSocketChannel", true, cl)
                                .asSubclass(ServerChannel.class),
                        Class.forName(EPOLL_PACKAGE + "EpollSocketChannel", true, cl)
                                .asSubclass(Channel.class));
            } else {
                unavailable = String.valueOf(
                        epollClass.getMethod("unavailabilityCause").invoke(null));
            }
        } catch (ClassNotFoundException e) {
            unavailable = "netty-transport-native-epoll is not on the class path";
        } catch (ReflectiveOperationException | LinkageError e) {
            unavailable = e.toString();
        }
        EPOLL = epoll;
        EPOLL_IO_HANDLER = ioHandler;
        EPOLL_FACTORY = factory;
        EPOLL_UNAVAILABLE = unavailable;
    }

    private interface IoHandlerFactoryMaker {
        IoHandlerFactory make() throws ReflectiveOperationException;
    }

    static final int SOCKET_BUFFER_BYTES = 2 * 1024 * 1024;
    /** Above 4 MiB queued a link reports unwritable, below 1 MiB writable again. */
    static final WriteBufferWaterMark WATER_MARK =
            new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024);

    final String name;
    final Class<? extends ServerChannel> serverChannel;
    final Class<? extends Channel> socketChannel;

    private Transport(String name, Class<? extends ServerChannel> serverChannel,
                      Class<? extends Channel> socketChannel) {
        this.name = name;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    static boolean epollAvailable() {
        return EPOLL != null;
    }

    /** The I/O handler factory for a new loop: epoll if available and preferred, else NIO. */
    static IoHandlerFactory ioHandlerFactory(boolean preferEpoll) {
        if (preferEpoll && EPOLL_FACTORY != null) {
            try {
                return EPOLL_FACTORY.make();
            } catch (ReflectiveOperationException e) {
                LOG.warn("cannot create an epoll I/O handler, using NIO: {}", e.toString());
            }
        }
        return NioIoHandler.newFactory();
    }

    /** Options for every link socket: no Nagle delay, keepalive, large buffers, pooled memory. */
    private static Map<ChannelOption<?>, Object> socketOptions() {
        Map<ChannelOption<?>, Object> o = new LinkedHashMap<>();
        o.put(ChannelOption.TCP_NODELAY, true);
        o.put(ChannelOption.SO_KEEPALIVE, true);
        o.put(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        o.put(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        o.put(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        o.put(ChannelOption.RCVBUF_ALLOCATOR, newRecvAllocator());
        o.put(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        return o;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void applySocketOptions(ServerBootstrap b) {
        socketOptions().forEach((k, v) -> b.childOption((ChannelOption) k, v));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void applySocketOptions(Bootstrap b) {
        socketOptions().forEach((k, v) -> b.option((ChannelOption) k, v));
    }

    /**
     * Reads grow up to 1 MiB: block frames are about a block long, and small reads would make the
     * frame decoder gather a block from many pieces (a copy each) and run once per piece.
     */
    static AdaptiveRecvByteBufAllocator newRecvAllocator() {
        return new AdaptiveRecvByteBufAllocator(4096, 64 * 1024, 1024 * 1024);
    }

    /** The transport whose channels {@code loop} can run; logs the choice once per kind. */
    static Transport forLoop(EventLoop loop) {
        if (!(loop instanceof IoEventLoop io)) {
            throw new IllegalArgumentException("event loop " + loop
                    + " cannot run socket channels; create it with TcpFabric.newLoopGroup");
        }
        if (EPOLL != null && io.isIoType(EPOLL_IO_HANDLER)) {
            if (EPOLL_LOGGED.compareAndSet(false, true)) {
                LOG.info("TCP fabric uses the native epoll transport");
            }
            return EPOLL;
        }
        if (io.isIoType(NioIoHandler.class)) {
            if (NIO_LOGGED.compareAndSet(false, true)) {
                LOG.info("TCP fabric uses the NIO transport ({})", EPOLL != null
                        ? "the event loop was created for NIO"
                        : "epoll unavailable: " + EPOLL_UNAVAILABLE);
            }
            return NIO;
        }
        throw new IllegalArgumentException("event loop " + loop
                + " is neither epoll nor NIO; create it with TcpFabric.newLoopGroup");
    }
}
