/**
 * The Netty TCP fabric: reliable, FIFO, exactly-once links between the members of one group,
 * carrying the protocol core's opaque frames (see {@link io.derecho.fabric.tcp.TcpFabric}).
 *
 * <h2>Topology</h2>
 * One TCP connection per unordered pair of members: a node dials every member with a lower node
 * id and accepts connections from members with higher ids. The dialer retries (100 ms, doubling to
 * 1 s) until the handshake succeeds, and dials again after the link breaks. Every channel, accepted
 * or dialed, is registered on the one event loop given to the fabric, so the protocol core is
 * called on a single thread.
 *
 * <h2>Wire format (version 1)</h2>
 * All integers are big-endian; strings are a uint16 byte count followed by UTF-8.
 * <pre>
 * dialer   -&gt; acceptor  HELLO   = magic:int32 version:int16 type:int8=1 groupName:str nodeId:int32
 * acceptor -&gt; dialer    WELCOME = magic:int32 version:int16 type:int8=2 nodeId:int32
 *                   or  REJECT  = magic:int32 version:int16 type:int8=3 reason:str, then close
 * then both ways        frame   = length:uint32 body:byte[length]   (length &lt;= maxFrameBytes)
 *
 * joiner   -&gt; member    JOIN       = magic:int32 version:int16 type:int8=4 groupName:str
 *                                     length:int32 payload:byte[length]  (length &lt;= 1 MiB)
 * member   -&gt; joiner    JOIN_REPLY = magic:int32 version:int16 type:int8=5 length:int32 payload,
 *                                     zero or more times, then close
 *                   or  REJECT, then close
 * </pre>
 * magic is {@code 0x44524543} ("DREC"). The handshake messages are not length-prefixed: the magic
 * is the first thing on the wire, so anything that is not a Derecho node (an HTTP probe, a port
 * scanner) is refused as such ("not a Derecho peer: bad magic 0x...") instead of being read as a
 * frame length. The body's first byte is the core's frame type; the fabric does not look inside.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A link is used only after a complete handshake; nothing the peer sends before it is
 *       welcomed reaches the {@link io.derecho.fabric.InboundHandler}.</li>
 *   <li>The acceptor refuses, with a reason sent in REJECT, logged at WARN and kept in
 *       {@code refusals()}: a bad magic, another protocol version, another group name, a node id
 *       that is not a member (or is its own), a node id it should dial itself, a node id that
 *       already has a live link, and a handshake that does not complete within a few seconds.
 *       The dialer logs the reason at ERROR, keeps it as {@code lastError(peer)} ("refused by node
 *       N: reason") and reports it once through {@code onLinkDown}.</li>
 *   <li>A HELLO from a node id that is not (yet) a peer is refused with a reason starting
 *       "not yet a member" ({@code TcpFabric.NOT_YET_A_MEMBER}); the dialer retries it without
 *       reporting it, since a joiner may dial members just before they add it with
 *       {@code addPeer}. A joining node may accept HELLOs from any id ({@code acceptAnyPeer}).</li>
 *   <li>Frames sent to a peer whose link has not been up since it became a peer are queued, up to
 *       64 MiB, and written before anything else when it comes up; beyond the bound the queue is
 *       dropped and the peer reported once through {@code onLinkDown}. After a link that was up
 *       breaks, frames to it are dropped and counted.</li>
 *   <li>A JOIN is not a link: it is handed to the {@code JoinService}, has no idle timeout once
 *       received, and is closed by the last reply, the joiner or the fabric's close.</li>
 *   <li>A length prefix above {@code maxFrameBytes} (the current value: it can change at run
 *       time) closes the link with an error naming the length, the peer and the bound.</li>
 *   <li>While a link is up, frames to a peer arrive complete, once and in send order.
 *       {@code onBatchEnd} is called once per event-loop iteration in which frames arrived, after
 *       them; {@code onLinkDown} once per established link that breaks. After {@code close()} the
 *       handler is not called again.</li>
 *   <li>{@code send} only queues; {@code flush} writes every link queued to since the last flush,
 *       so the core pays one system call per link per batch.</li>
 * </ul>
 */
package io.derecho.fabric.tcp;
