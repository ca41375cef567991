package io.derecho.testing.lin;

import io.derecho.testing.lin.SimulatedHistory.Invocation;
import io.derecho.testing.lin.SimulatedHistory.Target;
import io.derecho.testing.lin.SimulatedHistory.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Workloads and real sequential objects for {@link SimulatedHistory}. Written values are positive and unique, so
 * a negative value is one no correct object can ever return.
 */
final class Workloads {
    private Workloads() {
    }

    /** write / read / cas on one register; cas usually expects a recently written value so that some succeed. */
    static Workload register() {
        return new Workload() {
            private long nextValue = 1;
            private final List<Long> written = new ArrayList<>();

            @Override
            public Invocation next(Random random, int client) {
                int r = random.nextInt(10);
                if (r < 4) {
                    long v = nextValue++;
                    written.add(v);
                    return new Invocation("write", v);
                }
                if (r < 8) {
                    return new Invocation("read");
                }
                Object expected = written.isEmpty() || random.nextInt(8) == 0 ? null
                        : written.get(Math.max(0, written.size() - 1 - random.nextInt(3)));
                long v = nextValue++;
                written.add(v);
                return new Invocation("cas", expected, v);
            }
        };
    }

    static Target registerObject() {
        Object[] cell = {null};
        return (now, kind, args) -> switch (kind) {
            case "write" -> {
                cell[0] = args.get(0);
                yield null;
            }
            case "read" -> cell[0];
            case "cas" -> {
                if (Objects.equals(cell[0], args.get(0))) {
                    cell[0] = args.get(1);
                    yield true;
                }
                yield false;
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /**
     * A broken register: writes are applied at their linearization point, but reads are served by a replica that
     * sees each write only {@code lag} time units later.
     */
    static Target laggingReplicaRegister(long lag) {
        List<long[]> writes = new ArrayList<>();
        return (now, kind, args) -> switch (kind) {
            case "write" -> {
                writes.add(new long[] {now, (Long) args.get(0)});
                yield null;
            }
            case "read" -> {
                Object seen = null;
                for (long[] w : writes) {
                    if (w[0] <= now - lag) {
                        seen = w[1];
                    }
                }
                yield seen;
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** write / read only, for the lagging replica. */
    static Workload writesAndReads() {
        return new Workload() {
            private long nextValue = 1;

            @Override
            public Invocation next(Random random, int client) {
                return random.nextBoolean() ? new Invocation("write", nextValue++) : new Invocation("read");
            }
        };
    }

    /** add(1..maxDelta) / get on a counter. */
    static Workload counter(int maxDelta) {
        return (random, client) -> random.nextInt(3) < 2 ? new Invocation("add", 1L + random.nextInt(maxDelta))
                : new Invocation("get");
    }

    static Target counterObject() {
        long[] value = {0};
        return (now, kind, args) -> switch (kind) {
            case "add" -> value[0] += (Long) args.get(0);
            case "get" -> value[0];
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** put / get / delete / cas over {@code keys} string keys. */
    static Workload kvMap(int keys) {
        return new Workload() {
            private long nextValue = 1;
            private final Map<String, Long> lastWritten = new HashMap<>();

            @Override
            public Invocation next(Random random, int client) {
                String key = "k" + random.nextInt(keys);
                int r = random.nextInt(20);
                if (r < 7) {
                    long v = nextValue++;
                    lastWritten.put(key, v);
                    return new Invocation("put", key, v);
                }
                if (r < 15) {
                    return new Invocation("get", key);
                }
                if (r < 16) {
                    return new Invocation("delete", key);
                }
                long v = nextValue++;
                Object expected = random.nextInt(4) == 0 ? null : lastWritten.get(key);
                lastWritten.put(key, v);
                return new Invocation("cas", key, expected, v);
            }
        };
    }

    static Target kvMapObject() {
        Map<Object, Object> map = new HashMap<>();
        return (now, kind, args) -> switch (kind) {
            case "put" -> {
                map.put(args.get(0), args.get(1));
                yield null;
            }
            case "get" -> map.get(args.get(0));
            case "delete" -> {
                map.remove(args.get(0));
                yield null;
            }
            case "cas" -> {
                if (Objects.equals(map.get(args.get(0)), args.get(1))) {
                    if (args.get(2) == null) {
                        map.remove(args.get(0));
                    } else {
                        map.put(args.get(0), args.get(2));
                    }
                    yield true;
                }
                yield false;
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
