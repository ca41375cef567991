package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recorder under real threads and {@link System#nanoTime()}: histories of the JDK's linearizable concurrent
 * objects, recorded by many threads at once, must check as linearizable.
 */
@Timeout(60)
class HistoryRecorderTest {
    private static final int THREADS = 16;
    private static final int OPS_PER_THREAD = 150;

    @FunctionalInterface
    private interface ClientLoop {
        void run(HistoryRecorder recorder, String client, Random random);
    }

    private static History runClients(ClientLoop loop) throws InterruptedException {
        HistoryRecorder recorder = new HistoryRecorder("jvm/");
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    loop.run(recorder, "c" + id, new Random(id));
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }, "client-" + t);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(errors).isEmpty();
        return recorder.history();
    }

    @Test
    void atomicCounterUsedByManyThreadsIsLinearizable() throws InterruptedException {
        AtomicLong counter = new AtomicLong();
        History h = runClients((recorder, client, random) -> {
            for (int i = 0; i < OPS_PER_THREAD; i++) {
                if (random.nextBoolean()) {
                    long delta = 1 + random.nextInt(3);
                    long handle = recorder.invoke(client, "add", delta);
                    recorder.complete(handle, counter.addAndGet(delta));
                } else {
                    long handle = recorder.invoke(client, "get");
                    recorder.complete(handle, counter.get());
                }
            }
        });
        assertThat(h.size()).isEqualTo(THREADS * OPS_PER_THREAD);
        assertThat(h.get(0).client()).startsWith("jvm/c");
        LinearizabilityChecker.check(new CounterModel(), h).requireLinearizable();
    }

    @Test
    void atomicReferenceUsedByManyThreadsIsALinearizableRegister() throws InterruptedException {
        AtomicReference<Long> register = new AtomicReference<>();
        AtomicLong unique = new AtomicLong(1);
        History h = runClients((recorder, client, random) -> {
            for (int i = 0; i < OPS_PER_THREAD; i++) {
                int r = random.nextInt(3);
                if (r == 0) {
                    long v = unique.getAndIncrement();
                    long handle = recorder.invoke(client, "write", v);
                    register.set(v);
                    recorder.complete(handle);
                } else if (r == 1) {
                    long handle = recorder.invoke(client, "read");
                    recorder.complete(handle, register.get());
                } else {
                    Long expected = register.get();
                    long v = unique.getAndIncrement();
                    long handle = recorder.invoke(client, "cas", expected, v);
                    recorder.complete(handle, register.compareAndSet(expected, v));
                }
            }
        });
        LinearizabilityChecker.check(new RegisterModel(), h).requireLinearizable();
    }

    @Test
    void concurrentHashMapUsedByManyThreadsIsALinearizableMap() throws InterruptedException {
        ConcurrentHashMap<String, Long> map = new ConcurrentHashMap<>();
        AtomicLong unique = new AtomicLong(1);
        History h = runClients((recorder, client, random) -> {
            for (int i = 0; i < OPS_PER_THREAD; i++) {
                String key = "k" + random.nextInt(4);
                int r = random.nextInt(4);
                if (r == 0) {
                    long v = unique.getAndIncrement();
                    long handle = recorder.invoke(client, "put", key, v);
                    map.put(key, v);
                    recorder.complete(handle);
                } else if (r == 1) {
                    long handle = recorder.invoke(client, "get", key);
                    recorder.complete(handle, map.get(key));
                } else if (r == 2) {
                    long handle = recorder.invoke(client, "delete", key);
                    map.remove(key);
                    recorder.complete(handle);
                } else {
                    Long expected = map.get(key);
                    long v = unique.getAndIncrement();
                    long handle = recorder.invoke(client, "cas", key, expected, v);
                    boolean swapped = expected == null ? map.putIfAbsent(key, v) == null
                            : map.replace(key, expected, v);
                    recorder.complete(handle, swapped);
                }
            }
        });
        CheckResult r = LinearizabilityChecker.check(new KvMapModel(), h).requireLinearizable();
        assertThat(r.partitions()).hasSize(4);
    }

    @Test
    void pendingOperationsCountAsUnknownAndKeepTheirInvocation() {
        HistoryCodecTest.FakeClock clock = new HistoryCodecTest.FakeClock(100, 1);
        HistoryRecorder recorder = new HistoryRecorder("", clock::next);
        long write = recorder.invoke("a", "write", 1);   // 100
        long read = recorder.invoke("b", "read");        // 101
        recorder.complete(read, 1);                      // 102
        long gaveUp = recorder.invoke("c", "write", 2);  // 103
        recorder.unknown(gaveUp);                        // 104
        long rejected = recorder.invoke("d", "write", 3); // 105
        recorder.fail(rejected);                         // 106

        History h = recorder.history();

        assertThat(h.operations()).extracting(Operation::outcome)
                .containsExactly(Outcome.UNKNOWN, Outcome.OK, Outcome.UNKNOWN, Outcome.FAILED);
        assertThat(h.get(0).invokeNanos()).isEqualTo(100);
        assertThat(h.get(0).responseNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(h.get(2).responseNanos()).isEqualTo(104);
        assertThat(Objects.requireNonNull(h.get(1).result())).isEqualTo(1L);
        assertThat(LinearizabilityChecker.check(new RegisterModel(), h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(write).isNotEqualTo(read);
    }

    @Test
    void completingTwiceIsATestBug() {
        HistoryRecorder recorder = new HistoryRecorder();
        long handle = recorder.invoke("a", "read");
        recorder.complete(handle, null);
        assertThatThrownBy(() -> recorder.fail(handle))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already completed");
        assertThatThrownBy(() -> recorder.complete(handle + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no operation with handle");
    }
}
