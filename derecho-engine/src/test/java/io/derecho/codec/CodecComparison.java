package io.derecho.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.derecho.codec.Samples.Kind;
import io.derecho.codec.Samples.PutRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.smile.SmileMapper;
import tools.jackson.dataformat.smile.SmileWriteFeature;

/**
 * Benchmark program (not a test): encodes and decodes a typical RPC argument set with the default
 * codec and with its alternatives, each candidate in a fresh JVM so that one codec's JIT profile
 * cannot slow another, and prints bytes per message and operations per second.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat /tmp/codec.cp) io.derecho.codec.CodecComparison [seconds-per-round] [rounds]
 * </pre>
 *
 * One operation is one message: "round trip" = encode + decode, "encode" = to a new byte[],
 * "decode" = from the same byte[] to a new object. Rates are per second of the benchmark JVM's
 * CPU time (all its threads, so garbage collection counts), which keeps them meaningful on a
 * shared, busy machine where wall-clock rates mostly measure the neighbours; the wall-clock
 * round-trip rate is printed too. Each figure is the median over the rounds, after a warm-up as
 * long as all rounds together.
 */
public final class CodecComparison {
    private static final List<String> CANDIDATES = List.of("binary-record", "binary-args", "kryo", "smile");
    private static final List<Integer> PAYLOADS = List.of(100, 10 * 1024);
    private static volatile long blackhole;

    private CodecComparison() {
    }

    /** One codec, reduced to what the benchmark needs. */
    interface Candidate {
        byte[] encode(PutRequest request);

        PutRequest decode(byte[] bytes);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]), Integer.parseInt(args[4]));
            return;
        }
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String java = ProcessHandle.current().info().command().orElse("java");
        System.out.printf("# %s %s, %d cpus, max heap %d MiB; %d x %.1f s rounds after %.1f s warm-up, median shown%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, rounds, seconds,
                rounds * seconds);
        System.out.printf("%-14s %8s %10s %16s %16s %16s %16s%n", "codec", "payload", "bytes/msg", "roundtrip/cpu-s",
                "encode/cpu-s", "decode/cpu-s", "roundtrip/wall-s");
        for (int payload : PAYLOADS) {
            for (String candidate : CANDIDATES) {
                Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                        CodecComparison.class.getName(), "--child", candidate, Integer.toString(payload),
                        Double.toString(seconds), Integer.toString(rounds))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    out.lines().forEach(System.out::println);
                }
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(candidate + " failed with exit code " + p.exitValue());
                }
            }
        }
    }

    private static void child(String name, int payload, double seconds, int rounds) {
        Candidate candidate = candidate(name);
        PutRequest request = request(payload);
        byte[] wire = candidate.encode(request);
        PutRequest back = candidate.decode(wire);
        if (!back.key().equals(request.key()) || back.version() != request.version()
                || !Arrays.equals(back.value(), request.value()) || !back.tags().equals(request.tags())
                || back.kind() != request.kind()) {
            throw new IllegalStateException(name + " does not round-trip the request");
        }
        Runnable roundTrip = () -> blackhole += candidate.decode(candidate.encode(request)).version();
        Runnable encode = () -> blackhole += candidate.encode(request).length;
        Runnable decode = () -> blackhole += candidate.decode(wire).version();
        double[] rt = median(roundTrip, seconds, rounds);
        double[] enc = median(encode, seconds, rounds);
        double[] dec = median(decode, seconds, rounds);
        System.out.printf("%-14s %8s %10d %16.0f %16.0f %16.0f %16.0f%n", name,
                payload >= 1024 ? payload / 1024 + "KiB" : payload + "B", wire.length, rt[0], enc[0], dec[0], rt[1]);
        System.err.print(blackhole == 42 ? "" : "");
    }

    /** {ops per CPU-second, ops per wall-second}, each the median over the rounds. */
    private static double[] median(Runnable op, double seconds, int rounds) {
        opsPerSecond(op, seconds * rounds); // warm-up
        double[] cpu = new double[rounds];
        double[] wall = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] rates = opsPerSecond(op, seconds);
            cpu[r] = rates[0];
            wall[r] = rates[1];
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        return new double[] {cpu[rounds / 2], wall[rounds / 2]};
    }

    /** Runs {@code op} for about {@code seconds} of this process's CPU time. */
    private static double[] opsPerSecond(Runnable op, double seconds) {
        long budget = (long) (seconds * 1e9);
        long ops = 0;
        long cpuStart = processCpuNanos();
        long wallStart = System.nanoTime();
        long cpu;
        do {
            for (int i = 0; i < 1000; i++) {
                op.run();
            }
            ops += 1000;
            cpu = processCpuNanos() - cpuStart;
        } while (cpu < budget);
        long wall = System.nanoTime() - wallStart;
        return new double[] {ops * 1e9 / cpu, ops * 1e9 / wall};
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A put into a replicated key-value store: short key, version, opaque value, a few tags, an enum. */
    static PutRequest request(int payload) {
        byte[] value = new byte[payload];
        new SplittableRandom(42).nextBytes(value);
        return new PutRequest("user:000042", 1_234_567L, value, new ArrayList<>(List.of("hot", "eu-west-1", "v2")), Kind.PUT);
    }

    static Candidate candidate(String name) {
        return switch (name) {
            case "binary-record" -> binaryRecord();
            case "binary-args" -> binaryArguments();
            case "kryo" -> kryo();
            case "smile" -> smile();
            default -> throw new IllegalArgumentException("unknown candidate " + name + "; one of " + CANDIDATES);
        };
    }

    /** The default codec, the request as one record argument (or a reply of that type). */
    static Candidate binaryRecord() {
        BinaryCodec codec = BinaryCodec.create();
        return new Candidate() {
            public byte[] encode(PutRequest r) {
                return codec.encode(PutRequest.class, r);
            }

            public PutRequest decode(byte[] b) {
                return (PutRequest) codec.decode(PutRequest.class, b);
            }
        };
    }

    /** The default codec, the same fields as a method's five parameters: put(String, long, byte[], List, Kind). */
    static Candidate binaryArguments() {
        ArgumentsCodec args = BinaryCodec.create().forArguments(String.class, long.class, byte[].class,
                new TypeRef<List<String>>() {}.type(), Kind.class);
        return new Candidate() {
            public byte[] encode(PutRequest r) {
                return args.encode(r.key(), r.version(), r.value(), r.tags(), r.kind());
            }

            @SuppressWarnings("unchecked")
            public PutRequest decode(byte[] b) {
                Object[] a = args.decode(b);
                return new PutRequest((String) a[0], (Long) a[1], (byte[]) a[2], (List<String>) a[3], (Kind) a[4]);
            }
        };
    }

    /** Kryo 5 defaults (registration required, no references), records through its RecordSerializer. */
    static Candidate kryo() {
        Kryo kryo = new Kryo();
        kryo.register(PutRequest.class);
        kryo.register(Kind.class);
        kryo.register(ArrayList.class);
        kryo.register(byte[].class);
        Output output = new Output(256, -1);
        Input input = new Input();
        return new Candidate() {
            public byte[] encode(PutRequest r) {
                output.reset();
                kryo.writeObject(output, r);
                return output.toBytes();
            }

            public PutRequest decode(byte[] b) {
                input.setBuffer(b);
                return kryo.readObject(input, PutRequest.class);
            }
        };
    }

    /** Jackson 3 Smile with raw (not 7-bit) binary, which is the fair setting between replicas. */
    static Candidate smile() {
        SmileMapper mapper = SmileMapper.builder().disable(SmileWriteFeature.ENCODE_BINARY_AS_7BIT).build();
        ObjectWriter writer = mapper.writerFor(PutRequest.class);
        ObjectReader reader = mapper.readerFor(PutRequest.class);
        return new Candidate() {
            public byte[] encode(PutRequest r) {
                return writer.writeValueAsBytes(r);
            }

            public PutRequest decode(byte[] b) {
                return reader.readValue(b);
            }
        };
    }
}
