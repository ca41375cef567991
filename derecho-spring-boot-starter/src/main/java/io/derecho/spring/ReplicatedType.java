package io.derecho.spring;

import java.util.function.Supplier;

/**
 * Declares a replicated type as a bean: every node of the application holds, for each shard of
 * {@code subgroup} it serves, one instance from {@code factory}.
 *
 * <pre>{@code
 * @Bean
 * ReplicatedType<Counter> counters() {
 *     return new ReplicatedType<>(Counter.class, "counters", Counter::new);
 * }
 * }</pre>
 */
public record ReplicatedType<T>(Class<T> type, String subgroup, Supplier<? extends T> factory) {
}
