package io.derecho.runtime;

import io.derecho.fabric.tcp.JoinAttempt;
import io.derecho.fabric.tcp.TcpFabric;
import io.netty.channel.EventLoopGroup;
import java.util.function.Consumer;

/**
 * A connection between a member and a process outside the group (an external client), over the
 * member's listen port: messages both ways, each delivered once and in order while it is open.
 * Callable from any thread.
 */
public interface ClientSession {
    /** First byte of the hello that opens a client session (a join request starts with 1). */
    byte HELLO = 0x43;

    void send(byte[] message);

    boolean isOpen();

    void close();

    /** The other end's address, for logs. */
    String remote();

    /** A member's side of client sessions. Called on the member's protocol loop. */
    interface Listener {
        /** A client opened a session; {@code hello} is its first message (it starts with {@link #HELLO}). */
        void onOpen(ClientSession session, byte[] hello);

        void onMessage(ClientSession session, byte[] message);

        void onClose(ClientSession session);
    }

    /**
     * Opens a session to the member listening at {@code address} ({@code host:port}) of group
     * {@code groupName}; {@code hello} must start with {@link #HELLO}. Replies go to
     * {@code onMessage}, and {@code onClosed} runs once when the session ends (with the reason).
     * Both run on a shared client I/O thread: keep them short.
     */
    static ClientSession connect(String address, String groupName, byte[] hello, Consumer<byte[]> onMessage,
                                 Consumer<String> onClosed) {
        if (hello.length == 0 || hello[0] != HELLO) {
            throw new IllegalArgumentException("a client hello starts with byte " + HELLO);
        }
        JoinAttempt attempt = TcpFabric.join(ClientLoop.GROUP.next(), DerechoNode.parseAddress(address), groupName, hello,
                onMessage, onClosed);
        return new ClientSession() {
            @Override
            public void send(byte[] message) {
                attempt.send(message);
            }

            @Override
            public boolean isOpen() {
                return attempt.isOpen();
            }

            @Override
            public void close() {
                attempt.cancel();
            }

            @Override
            public String remote() {
                return address;
            }
        };
    }

    /** The I/O thread of every client session of this process (a daemon: it does not keep the JVM alive). */
    final class ClientLoop {
        static final EventLoopGroup GROUP = TcpFabric.newLoopGroup("derecho-client-io", true, true);

        private ClientLoop() {
        }
    }
}
