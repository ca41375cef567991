package io.derecho.bench.jgroupsrpc;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A member process of the JGroups RPC benchmark: joins the group with a {@link CountingSink},
 * prints {@code READY} once the view holds all three members, and runs until its standard input
 * closes (the benchmark's end, or the benchmark process dying) or it is killed.
 *
 * <p>Arguments: {@code cluster ports rank}, ports comma-separated by rank.
 */
public final class JGroupsRpcMember {

  private JGroupsRpcMember() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: JGroupsRpcMember CLUSTER PORT0,PORT1,PORT2 RANK");
      System.exit(2);
    }
    List<Integer> ports = Arrays.stream(args[1].split(",")).map(Integer::parseInt).toList();
    int rank = Integer.parseInt(args[2]);
    try (JGroupsRpcNode node = JGroupsRpcNode.join(args[0], ports, rank, Duration.ofSeconds(10))) {
      node.awaitFullView(Duration.ofSeconds(60));
      System.out.println("READY");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the benchmark to end
      }
      System.err.println("member " + rank + " done: " + node.sink().calls() + " calls, "
          + node.sink().bytes() + " bytes");
    }
    System.exit(0);
  }
}
