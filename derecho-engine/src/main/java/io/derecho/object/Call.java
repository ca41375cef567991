package io.derecho.object;

import io.derecho.object.Methods.Fn0;
import io.derecho.object.Methods.Fn1;
import io.derecho.object.Methods.Fn2;
import io.derecho.object.Methods.Fn3;
import io.derecho.object.Methods.Proc0;
import io.derecho.object.Methods.Proc1;
import io.derecho.object.Methods.Proc2;
import io.derecho.object.Methods.Proc3;

/**
 * A method of a replicated type with its arguments, checked by the compiler:
 * {@code Call.of(Counter::add, 5L)} is a {@code Call<Counter, Long>}. Run it ordered in a shard
 * ({@link Replicated#ordered(Call)}), on one member ({@link Replicated#p2p}), or from outside the
 * subgroup ({@link PeerCaller}).
 *
 * @param <T> the replicated type
 * @param <R> the method's return type ({@code Void} for void methods)
 */
public final class Call<T, R> {
    private final Methods.Ref ref;
    private final Object[] args;

    private Call(Methods.Ref ref, Object... args) {
        this.ref = ref;
        this.args = args;
    }

    public static <T, R> Call<T, R> of(Fn0<T, R> m) {
        return new Call<>(m);
    }

    public static <T, A, R> Call<T, R> of(Fn1<T, A, R> m, A a) {
        return new Call<>(m, a);
    }

    public static <T, A, B, R> Call<T, R> of(Fn2<T, A, B, R> m, A a, B b) {
        return new Call<>(m, a, b);
    }

    public static <T, A, B, C, R> Call<T, R> of(Fn3<T, A, B, C, R> m, A a, B b, C c) {
        return new Call<>(m, a, b, c);
    }

    public static <T> Call<T, Void> of(Proc0<T> m) {
        return new Call<>(m);
    }

    public static <T, A> Call<T, Void> of(Proc1<T, A> m, A a) {
        return new Call<>(m, a);
    }

    public static <T, A, B> Call<T, Void> of(Proc2<T, A, B> m, A a, B b) {
        return new Call<>(m, a, b);
    }

    public static <T, A, B, C> Call<T, Void> of(Proc3<T, A, B, C> m, A a, B b, C c) {
        return new Call<>(m, a, b, c);
    }

    Methods.Ref ref() {
        return ref;
    }

    /** The method of {@code type} this call names (resolved from the method reference). */
    public java.lang.reflect.Method method(Class<?> type) {
        return Methods.resolve(ref, type);
    }

    /** The call's arguments (not copied). */
    public Object[] args() {
        return args;
    }
}
