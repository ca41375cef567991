package io.derecho.samples.kv;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * A client workload over HTTP: threads that put and get keys on the given nodes for a while,
 * printing throughput as they go, remembering every acknowledged write so that
 * {@link #verify} can check afterwards that none was lost. Each key has one writer thread, so
 * its last acknowledged value is the one it must hold (or a later write whose answer was lost).
 *
 * <pre>
 * java -jar kv-store.jar workload --targets=http://127.0.0.1:8080,http://127.0.0.1:8081 \
 *     --threads=8 --seconds=10 --keys=1000 --write-ratio=0.5 --value-bytes=100
 * </pre>
 */
public final class Workload {
    /** What to run. */
    public record Options(List<String> targets, int threads, Duration duration, int keys, double writeRatio, int valueBytes,
                          String keyPrefix) {
        public Options {
            if (targets.isEmpty() || threads < 1 || keys < threads || writeRatio < 0 || writeRatio > 1 || valueBytes < 1) {
                throw new IllegalArgumentException("need targets, threads >= 1, keys >= threads, 0 <= write-ratio <= 1, "
                        + "value-bytes >= 1");
            }
        }
    }

    /** The outcome of a run. */
    public record Result(long puts, long gets, long errors, double seconds, Histogram putLatency, Histogram getLatency) {
        public double opsPerSecond() {
            return (puts + gets) / seconds;
        }

        public String summary() {
            return String.format("%,d puts and %,d gets in %.1f s: %,.0f ops/s, %d errors; put p50 %.2f ms p99 %.2f ms, "
                    + "get p50 %.2f ms p99 %.2f ms", puts, gets, seconds, opsPerSecond(), errors,
                    ms(putLatency, 50), ms(putLatency, 99), ms(getLatency, 50), ms(getLatency, 99));
        }

        private static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
        }
    }

    /** Checked keys, and those whose value is not the last acknowledged write. */
    public record Verification(int keys, List<String> lost) {
    }

    /** What one key must hold: the last acknowledged value, or one written after it whose answer was lost. */
    private static final class Written {
        volatile String acknowledged;
        final List<String> unknown = new ArrayList<>();
    }

    private final Options options;
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private final LongAdder puts = new LongAdder();
    private final LongAdder gets = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Recorder putLatency = new Recorder(3);
    private final Recorder getLatency = new Recorder(3);
    private final AtomicBoolean stop = new AtomicBoolean();

    public Workload(Options options) {
        this.options = options;
    }

    /** Ends the run early (the threads finish their current request). */
    public void stop() {
        stop.set(true);
    }

    /** Runs for the options' duration (or until {@link #stop}), reporting every second to {@code progress}. */
    public Result run(Consumer<String> progress) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        for (int t = 0; t < options.threads(); t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("workload-" + t).start(() -> client(id, end)));
        }
        Histogram puts = new Histogram(3);
        Histogram gets = new Histogram(3);
        long lastOps = 0;
        long lastReport = start;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            threads.get(0).join(Duration.ofMillis(200));
            long now = System.nanoTime();
            if (now - lastReport >= 1_000_000_000L || threads.stream().noneMatch(Thread::isAlive)) {
                long ops = this.puts.sum() + this.gets.sum();
                progress.accept(String.format("  %5.1f s  %,8.0f ops/s  (%,d puts, %,d gets so far, %d errors)",
                        (now - start) / 1e9, (ops - lastOps) / ((now - lastReport) / 1e9), this.puts.sum(), this.gets.sum(),
                        errors.sum()));
                lastOps = ops;
                lastReport = now;
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        puts.add(putLatency.getIntervalHistogram());
        gets.add(getLatency.getIntervalHistogram());
        return new Result(this.puts.sum(), this.gets.sum(), errors.sum(), (System.nanoTime() - start) / 1e9, puts, gets);
    }

    private void client(int id, long end) {
        List<KvClient> nodes = options.targets().stream().map(KvClient::new).toList();
        int node = id % nodes.size();
        int perThread = options.keys() / options.threads();
        long seq = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get() && System.nanoTime() < end) {
            String key = options.keyPrefix() + (id + (long) options.threads() * random.nextInt(perThread));
            KvClient c = nodes.get(node);
            long t0 = System.nanoTime();
            boolean write = random.nextDouble() < options.writeRatio();
            String value = write ? value(id, seq++) : null;
            Written w = write ? written.computeIfAbsent(key, k -> new Written()) : null;
            try {
                if (write) {
                    c.put(key, value);
                    w.acknowledged = value;
                    w.unknown.clear();
                    putLatency.recordValue(System.nanoTime() - t0);
                    puts.increment();
                } else {
                    c.get(key, false);
                    getLatency.recordValue(System.nanoTime() - t0);
                    gets.increment();
                }
            } catch (IOException e) {
                errors.increment();
                if (write) {
                    w.unknown.add(value); // it may or may not have been applied
                }
                if (!(e instanceof KvClient.HttpError he) || he.status() >= 500) {
                    node = (node + 1) % nodes.size(); // that node is down or cut off: use the next
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String value(int thread, long seq) {
        StringBuilder b = new StringBuilder("t").append(thread).append('-').append(seq).append('-');
        while (b.length() < options.valueBytes()) {
            b.append('x');
        }
        return b.toString();
    }

    /** Reads back every key this workload wrote with linearizable reads through {@code reader}. */
    public Verification verify(KvClient reader) throws IOException, InterruptedException {
        return verify(reader, true);
    }

    /**
     * Reads back every key this workload wrote through {@code reader}: linearizable reads, or reads
     * of one replica (exact once the workload stopped: no write is in flight).
     */
    public Verification verify(KvClient reader, boolean linearizable) throws IOException, InterruptedException {
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, Written> e : written.entrySet()) {
            Written w = e.getValue();
            if (w.acknowledged == null && w.unknown.isEmpty()) {
                continue;
            }
            Entry now = reader.get(e.getKey(), linearizable);
            String value = now == null ? null : now.value();
            boolean ok = value == null ? w.acknowledged == null : value.equals(w.acknowledged) || w.unknown.contains(value);
            if (!ok) {
                lost.add(e.getKey() + " holds " + value + " but " + w.acknowledged + " was acknowledged");
            }
        }
        return new Verification(written.size(), lost);
    }

    /** Keys this workload wrote. */
    public int keysWritten() {
        return written.size();
    }

    private static final List<String> FLAGS = List.of("targets", "threads", "seconds", "keys", "write-ratio", "value-bytes",
            "key-prefix");

    /**
     * {@code workload --targets=URL[,URL...] [--threads=8] [--seconds=10] [--keys=1000] [--write-ratio=0.5]
     * [--value-bytes=100] [--key-prefix=w]}
     */
    public static int main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (String arg : args) {
            String name = arg.startsWith("--") && arg.contains("=") ? arg.substring(2, arg.indexOf('=')) : null;
            if (name == null || !FLAGS.contains(name)) {
                System.err.println("unknown argument '" + arg + "': use --name=value with a name of " + FLAGS);
                return 2;
            }
            a.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        Options o = new Options(Arrays.asList(a.getOrDefault("targets", "http://127.0.0.1:8080").split(",")),
                Integer.parseInt(a.getOrDefault("threads", "8")), Duration.ofSeconds(Long.parseLong(a.getOrDefault("seconds", "10"))),
                Integer.parseInt(a.getOrDefault("keys", "1000")), Double.parseDouble(a.getOrDefault("write-ratio", "0.5")),
                Integer.parseInt(a.getOrDefault("value-bytes", "100")), a.getOrDefault("key-prefix", "w"));
        Workload w = new Workload(o);
        System.out.println("workload: " + o.threads() + " threads on " + o.targets() + " for " + o.duration().toSeconds() + " s");
        Result r = w.run(System.out::println);
        System.out.println(r.summary());
        Verification v = w.verify(new KvClient(o.targets().get(0)));
        System.out.println("read back " + v.keys() + " keys: " + (v.lost().isEmpty() ? "every acknowledged write is there"
                : v.lost().size() + " LOST: " + v.lost().subList(0, Math.min(5, v.lost().size()))));
        return v.lost().isEmpty() ? 0 : 1;
    }
}
