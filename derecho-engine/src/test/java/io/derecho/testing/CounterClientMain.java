package io.derecho.testing;

import io.derecho.object.Call;
import io.derecho.object.Counter;
import io.derecho.object.ExternalClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An external client process of the replicated-counter tests: connects through the given members,
 * runs journaled ordered calls (relayed by its member) until {@code <dir>/stop} exists, then writes
 * {@code <dir>/result-<tag>} with the member it ended on.
 *
 * <p>Arguments: {@code groupName dir tag clients contact...}.
 */
public final class CounterClientMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        String tag = args[2];
        int clients = Integer.parseInt(args[3]);
        try (ExternalClient client = ExternalClient.connect(args[0], Arrays.asList(args).subList(4, args.length));
             OpJournal journal = new OpJournal(dir.resolve("journal-" + tag), tag + "/")) {
            Files.writeString(dir.resolve("ready-" + tag), "ready\n");
            Thread[] threads = CounterWorkload.start(clients, journal, dir.resolve("stop"), 77, delta ->
                    (delta > 0 ? client.ordered(Counter.class, "counters", 0, Call.of(Counter::add, delta))
                            : client.ordered(Counter.class, "counters", 0, Call.of(Counter::get))).get(10, TimeUnit.SECONDS),
                    new AtomicBoolean());
            for (Thread t : threads) {
                t.join();
            }
            Files.writeString(dir.resolve("result-" + tag), "member " + client.connectedTo() + "\n");
        }
    }
}
