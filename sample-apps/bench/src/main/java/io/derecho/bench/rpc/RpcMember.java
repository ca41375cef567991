package io.derecho.bench.rpc;

import io.derecho.config.GroupConfig;
import io.derecho.object.Group;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A member process of the RPC benchmark: joins the group with a {@link Sink} replica, prints
 * {@code READY}, and runs until its standard input closes (the benchmark's end) or it is killed.
 *
 * <p>Arguments: {@code configFile nodeId}.
 */
public final class RpcMember {
    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        try (Group group = Group.builder(config, me).replicate(Sink.class, "sink", Sink::new).start()) {
            group.awaitReady(Duration.ofSeconds(60));
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the benchmark to end
            }
        }
    }
}
