package io.derecho.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clients of the replicated-counter process tests: each thread issues ordered {@code add} and
 * ordered {@code get} calls through {@code call} and journals them, until {@code stop} exists.
 */
public final class CounterWorkload {
    /** One call: {@code add(delta)} when {@code delta > 0}, else {@code get()}; returns the reply. */
    public interface Caller {
        long call(long delta) throws Exception;
    }

    private CounterWorkload() {
    }

    public static Thread[] start(int clients, OpJournal journal, Path stop, long seed, Caller caller, AtomicBoolean quit) {
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            String name = "c" + c;
            Random r = new Random(seed * 31 + c);
            threads[c] = Thread.ofPlatform().start(() -> {
                while (!quit.get() && !Files.exists(stop)) {
                    long delta = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(5);
                    long id = delta > 0 ? journal.invoke(name, "add", delta) : journal.invoke(name, "get");
                    try {
                        journal.complete(id, caller.call(delta));
                    } catch (InterruptedException e) {
                        journal.unknown(id);
                        return;
                    } catch (Exception e) {
                        journal.unknown(id); // the call may or may not have taken effect
                    }
                }
            });
        }
        return threads;
    }
}
