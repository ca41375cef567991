package io.derecho.bench.jgroups;

import io.derecho.bench.launch.Ports;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds the JGroups 5.5 protocol stack (XML) used by the benchmark: TCP on loopback, static
 * discovery, reliable FIFO multicast (NAKACK2/UNICAST3/STABLE), credit-based flow control, and
 * SEQUENCER for total order (omitted in unordered mode), FRAG4 on top.
 *
 * <p>Tuning, all within documented 5.5 properties:
 *
 * <ul>
 *   <li>TCP bound to 127.0.0.1 on a fixed port per member, a batching bundler ({@code pd} =
 *       PerDestinationBundler by default, JGroups' own default in 5.5; {@code tq} =
 *       TransferQueueBundler) with 64 KiB bundles, 4 MiB socket buffers, 64 KiB stream buffers,
 *       diagnostics off.
 *   <li>TCPPING with every member's port as initial host, port_range 0, and a short GMS
 *       join_timeout (no discovery delays; rank 0 is started first and becomes coordinator, so
 *       also sequencer).
 *   <li>UFC/MFC credits (default 8 MiB) sized so a sender is rarely blocked waiting for credits
 *       on loopback; STABLE max_bytes 16 MiB so retransmission buffers are purged regularly.
 *   <li>FRAG4 (frag_size 60 KiB, below the bundle size) so that large messages (e.g. 1 MiB)
 *       fit.
 *   <li>No FD_SOCK2 (would need more ports); FD_ALL3 with a generous timeout so a loaded 2-core
 *       machine does not cause false suspicions; MERGE3 only as a safety net.
 * </ul>
 */
public final class JGroupsStack {

  /** Tunables; all have defaults suited to the loopback benchmark. */
  public record Options(
      String bundler,
      String bundleSize,
      String credits,
      String fragSize,
      String socketBuffer,
      boolean tcpNoDelay,
      boolean ordered) {

    public static Options defaults(boolean ordered) {
      return new Options("pd", "64K", "8M", "60K", "4M", true, ordered);
    }
  }

  private JGroupsStack() {}

  /** The XML config for the member bound to {@code myPort}, given all members' ports. */
  public static String xml(int myPort, List<Integer> allPorts, Options o) {
    String hosts =
        allPorts.stream()
            .map(p -> Ports.LOOPBACK + "[" + p + "]")
            .collect(Collectors.joining(","));
    StringBuilder x = new StringBuilder();
    x.append("<config xmlns=\"urn:org:jgroups\">\n");
    x.append("  <TCP bind_addr=\"").append(Ports.LOOPBACK).append("\"\n")
        .append("       bind_port=\"").append(myPort).append("\" port_range=\"0\"\n")
        .append("       recv_buf_size=\"").append(o.socketBuffer()).append("\"")
        .append(" send_buf_size=\"").append(o.socketBuffer()).append("\"\n")
        .append("       buffered_input_stream_size=\"65536\" buffered_output_stream_size=\"65536\"\n")
        .append("       sock_conn_timeout=\"1000\" tcp_nodelay=\"").append(o.tcpNoDelay()).append("\"\n")
        .append("       bundler_type=\"").append(o.bundler()).append("\"\n")
        .append("       bundler.max_size=\"").append(o.bundleSize())
        .append("\" bundler.capacity=\"16384\"\n")
        .append("       diag.enabled=\"false\"\n")
        .append("       thread_pool.min_threads=\"0\" thread_pool.max_threads=\"200\"")
        .append(" thread_pool.keep_alive_time=\"30s\"/>\n");
    x.append("  <TCPPING initial_hosts=\"").append(hosts)
        .append("\" port_range=\"0\" async_discovery=\"false\" return_entire_cache=\"true\"/>\n");
    x.append("  <MERGE3 min_interval=\"5s\" max_interval=\"15s\"/>\n");
    x.append("  <FD_ALL3 timeout=\"60s\" interval=\"5s\"/>\n");
    x.append("  <VERIFY_SUSPECT2 timeout=\"3s\"/>\n");
    x.append("  <BARRIER/>\n");
    x.append("  <pbcast.NAKACK2 use_mcast_xmit=\"false\" xmit_interval=\"500\""
        + " discard_delivered_msgs=\"true\"/>\n");
    x.append("  <UNICAST3 xmit_interval=\"500\"/>\n");
    x.append("  <pbcast.STABLE desired_avg_gossip=\"5s\" max_bytes=\"16M\"/>\n");
    x.append("  <pbcast.GMS print_local_addr=\"false\" join_timeout=\"1000\""
        + " view_ack_collection_timeout=\"2000\" max_join_attempts=\"0\"/>\n");
    x.append("  <UFC max_credits=\"").append(o.credits()).append("\" min_threshold=\"0.4\"/>\n");
    x.append("  <MFC max_credits=\"").append(o.credits()).append("\" min_threshold=\"0.4\"/>\n");
    if (o.ordered()) {
      x.append("  <SEQUENCER/>\n");
    }
    x.append("  <FRAG4 frag_size=\"").append(o.fragSize()).append("\"/>\n");
    x.append("</config>\n");
    return x.toString();
  }
}
