package io.derecho.bench.ratis;

import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.MemberRuntime;
import io.derecho.bench.launch.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One Ratis server of the benchmark cluster, a separate JVM started by {@link RatisCluster}.
 *
 * <p>Arguments ({@link MemberArgs}): {@code id=n0 peers=n0@127.0.0.1:P0,n1@...,n2@...
 * group=<uuid> dir=<storage dir> transport=GRPC|NETTY hardDeadlineMs=<ms>} and any number of
 * {@code opt.raft.KEY=VALUE} Ratis overrides. It formats its storage, starts, prints {@code EVENT
 * started}, and serves until its standard input closes (the driver's polite stop), its driver
 * dies, or the hard deadline passes.
 */
public final class RatisServerMain {

  static final String EVENT_STARTED = "started";

  static final String OPT_PREFIX = "opt.";

  private RatisServerMain() {}

  public static void main(String[] argv) throws Exception {
    MemberArgs a = MemberArgs.parse(argv);
    MemberRuntime.install(Duration.ofMillis(a.getLong("hardDeadlineMs")));
    RaftPeerId id = RaftPeerId.valueOf(a.get("id"));
    RaftGroup group = group(a.get("group"), a.get("peers"));
    RaftPeer self = group.getPeer(id);
    if (self == null) {
      throw new IllegalArgumentException("id " + id + " is not in peers " + a.get("peers"));
    }
    int port = Integer.parseInt(self.getAddress().substring(self.getAddress().lastIndexOf(':') + 1));
    Map<String, String> overrides = new LinkedHashMap<>();
    a.asMap().forEach((k, v) -> {
      if (k.startsWith(OPT_PREFIX)) {
        overrides.put(k.substring(OPT_PREFIX.length()), v);
      }
    });
    RatisSettings.Transport transport = RatisSettings.Transport.parse(a.get("transport"));

    RaftServer server = RaftServer.newBuilder()
        .setServerId(id)
        .setGroup(group)
        .setStateMachine(new CounterStateMachine())
        .setProperties(RatisSettings.serverProperties(
            transport, Path.of(a.get("dir")), Ports.LOOPBACK, port, overrides))
        .setOption(RaftStorage.StartupOption.FORMAT)
        .build();
    server.start();
    MemberRuntime.log("ratis server " + id + " listening on " + self.getAddress()
        + " transport=" + transport + " overrides=" + overrides);
    MemberRuntime.event(EVENT_STARTED);

    awaitEndOfInput(System.in);
    MemberRuntime.log("stdin closed: stopping " + id);
    server.close();
    System.exit(0);
  }

  /** {@code n0@127.0.0.1:4000,n1@...} under group id {@code uuid}. */
  static RaftGroup group(String uuid, String peers) {
    List<RaftPeer> list = new ArrayList<>();
    for (String p : peers.split(",")) {
      int at = p.indexOf('@');
      if (at <= 0) {
        throw new IllegalArgumentException("peer must be ID@HOST:PORT, got '" + p + "'");
      }
      list.add(RaftPeer.newBuilder().setId(p.substring(0, at)).setAddress(p.substring(at + 1))
          .build());
    }
    return RaftGroup.valueOf(RaftGroupId.valueOf(UUID.fromString(uuid)), list);
  }

  /** The {@code peers} argument for the given ids and ports. */
  static String peersArg(List<String> ids, List<Integer> ports) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      out.add(ids.get(i) + "@" + Ports.LOOPBACK + ":" + ports.get(i));
    }
    return String.join(",", out);
  }

  private static void awaitEndOfInput(InputStream in) {
    byte[] buf = new byte[256];
    try {
      while (in.read(buf) >= 0) {
        // the driver sends nothing; EOF is the signal
      }
    } catch (IOException e) {
      // driver gone: stop as well
    }
  }
}
