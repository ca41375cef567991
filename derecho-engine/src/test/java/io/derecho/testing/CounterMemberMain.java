package io.derecho.testing;

import io.derecho.config.GroupConfig;
import io.derecho.membership.MembershipSettings;
import io.derecho.object.Call;
import io.derecho.object.Counter;
import io.derecho.object.Group;
import io.derecho.object.Replicated;
import io.derecho.runtime.NodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A member process of the replicated-counter tests: a {@link Group} with a {@link Counter}
 * replica and client threads issuing ordered calls, journaled in {@code <dir>/journal-<tag>}. Once
 * {@code <dir>/stop} exists it stops its clients, reads the counter with an ordered call and writes
 * {@code <dir>/result-<tag>} ({@code value N} and {@code local N}).
 *
 * <p>Arguments: {@code configFile nodeId dir tag clients [join]}.
 */
public final class CounterMemberMain {
    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        String tag = args[3];
        int clients = Integer.parseInt(args[4]);
        NodeOptions options = NodeOptions.defaults().settings(new MembershipSettings(100, 2000, true));
        if (args.length > 5 && args[5].equals("join")) {
            options = options.joining();
        }
        try (Group group = Group.builder(config, me).options(options).replicate(Counter.class, "counters", Counter::new).start();
             OpJournal journal = new OpJournal(dir.resolve("journal-" + tag), tag + "/")) {
            group.awaitReady(Duration.ofSeconds(60));
            Files.writeString(dir.resolve("ready-" + tag), "ready\n");
            Replicated<Counter> counter = group.replicated(Counter.class);
            AtomicBoolean quit = new AtomicBoolean();
            Path stop = dir.resolve("stop");
            Thread[] threads = CounterWorkload.start(clients, journal, stop, me * 1000L + tag.hashCode(), delta ->
                    (delta > 0 ? counter.ordered(Call.of(Counter::add, delta)) : counter.ordered(Call.of(Counter::get)))
                            .get(Duration.ofSeconds(10)), quit);
            for (Thread t : threads) {
                t.join();
            }
            long value = counter.ordered(Call.of(Counter::get)).get(Duration.ofSeconds(20));
            Path tmp = dir.resolve("result-" + tag + ".tmp");
            Files.writeString(tmp, "value " + value + "\nlocal " + counter.local().get() + "\n");
            Files.move(tmp, dir.resolve("result-" + tag));
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
