package io.derecho.codec;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A tiny property runner: a check is run on many generated inputs, each generated from its own
 * {@link Random} whose seed is printed when the check fails, so that the failing input can be
 * generated again.
 *
 * <p>Iteration {@code i} of a check uses the seed {@code base + i * GAMMA}. The base seed is fixed
 * per check (derived from its name) so that runs are reproducible; {@code -Dderecho.codec.seed=S}
 * makes every check start from {@code S} instead ({@code random} picks a fresh one per check, which
 * the failure message prints), and {@code -Dderecho.codec.tries=N} runs {@code N} iterations of
 * every check instead of its own count. A failure at seed {@code S} is thus replayed, first thing,
 * by {@code -Dderecho.codec.seed=S -Dderecho.codec.tries=1 -Dtest='Class#check'}.
 */
final class RandomChecks {
    static final String SEED_PROPERTY = "derecho.codec.seed";
    static final String TRIES_PROPERTY = "derecho.codec.tries";

    /** Spacing between consecutive iterations' seeds (the golden ratio, as SplittableRandom uses). */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final int MAX_DESCRIPTION = 2_000;

    private RandomChecks() {
    }

    /**
     * Runs {@code check} on {@code tries} values of {@code generator}; the first failure (any
     * {@link Throwable}, a stack overflow included) becomes an {@link AssertionError} that names the
     * seed and iteration and describes the input.
     *
     * @param test the check's name as {@code -Dtest} takes it, {@code Class#method}
     */
    static <T> void forAll(String test, int tries, Function<Random, ? extends T> generator,
                           Consumer<? super T> check) {
        String configured = System.getProperty(SEED_PROPERTY, "").strip();
        long base = baseSeed(test, configured);
        int n = Integer.getInteger(TRIES_PROPERTY, tries);
        for (int i = 0; i < n; i++) {
            long seed = base + i * GAMMA;
            Object input = "(not generated)";
            try {
                T value = generator.apply(new Random(seed));
                input = value;
                check.accept(value);
            } catch (Throwable failure) {
                String message = String.format(
                        "%s failed at iteration %d of %d, seed %d (base seed %d, %s)%n"
                                + "  replay: -D%s=%d -D%s=1 -Dtest='%s'%n"
                                + "  input: %s%n"
                                + "  failure: %s",
                        test, i, n, seed, base, configured.isEmpty() ? "the default" : "from -D" + SEED_PROPERTY
                                + "=" + configured,
                        SEED_PROPERTY, seed, TRIES_PROPERTY, test, describe(input), failure);
                throw new AssertionError(message, failure);
            }
        }
    }

    private static long baseSeed(String test, String configured) {
        if (configured.isEmpty()) {
            return mix(0x0DE7EC40C0DECL ^ test.hashCode());
        }
        if (configured.equalsIgnoreCase("random")) {
            return ThreadLocalRandom.current().nextLong();
        }
        try {
            return Long.decode(configured);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long or 'random', not '"
                    + configured + "'", e);
        }
    }

    /** Stafford's mix13, so that names with close hash codes start far apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Like toString, but shows arrays' contents, also inside records and collections; truncated. */
    static String describe(Object value) {
        StringBuilder out = new StringBuilder();
        describe(value, out);
        return out.length() <= MAX_DESCRIPTION ? out.toString()
                : out.substring(0, MAX_DESCRIPTION) + "... (" + out.length() + " chars)";
    }

    private static void describe(Object value, StringBuilder out) {
        if (out.length() > MAX_DESCRIPTION) {
            return;
        }
        switch (value) {
            case null -> out.append("null");
            case String s -> out.append('"').append(escape(s)).append('"');
            case Character c -> out.append('\'').append(escape(String.valueOf(c))).append('\'');
            case Record r -> {
                out.append(r.getClass().getSimpleName()).append('[');
                RecordComponent[] components = r.getClass().getRecordComponents();
                for (int i = 0; i < components.length; i++) {
                    out.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=');
                    try {
                        components[i].getAccessor().setAccessible(true);
                        describe(components[i].getAccessor().invoke(r), out);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        out.append('?');
                    }
                }
                out.append(']');
            }
            case Collection<?> c -> {
                out.append('[');
                boolean first = true;
                for (Object e : c) {
                    out.append(first ? "" : ", ");
                    first = false;
                    describe(e, out);
                }
                out.append(']');
            }
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.append(first ? "" : ", ");
                    first = false;
                    describe(e.getKey(), out);
                    out.append('=');
                    describe(e.getValue(), out);
                }
                out.append('}');
            }
            case Optional<?> o when o.isEmpty() -> out.append("Optional.empty");
            case Optional<?> o -> {
                out.append("Optional[");
                describe(o.get(), out);
                out.append(']');
            }
            default -> {
                if (value.getClass().isArray()) {
                    int length = Array.getLength(value);
                    out.append(value.getClass().getComponentType().getSimpleName()).append('[').append(length)
                            .append("]{");
                    for (int i = 0; i < length; i++) {
                        out.append(i == 0 ? "" : ", ");
                        describe(Array.get(value, i), out);
                    }
                    out.append('}');
                } else {
                    out.append(value);
                }
            }
        }
    }

    /** Non-printable-ASCII characters as backslash-u escapes, so the message survives any console. */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out.toString();
    }
}
