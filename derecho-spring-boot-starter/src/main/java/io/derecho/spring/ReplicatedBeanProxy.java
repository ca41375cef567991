package io.derecho.spring;

import io.derecho.object.NodeRemovedException;
import io.derecho.object.QueryResults;
import io.derecho.object.RpcException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.ProxyFactory;

/**
 * The object other beans get when they inject a {@link ReplicatedBean}: a subclass proxy whose
 * public methods become calls on the replicas (ordered, or {@link Query} on one replica), in the
 * shard picked by the {@link ShardKey} argument. It holds no state of its own.
 */
final class ReplicatedBeanProxy implements MethodInterceptor {
    private final Class<?> type;
    private final Supplier<Derecho> derecho;
    private final Map<Method, Plan> plans = new ConcurrentHashMap<>();
    private volatile Derecho resolved;

    /** How one method is called: ordered or query, and which argument is the shard key (-1: none). */
    private record Plan(boolean query, int keyIndex) {
        static Plan of(Method m) {
            int key = -1;
            Parameter[] ps = m.getParameters();
            for (int i = 0; i < ps.length; i++) {
                if (ps[i].isAnnotationPresent(ShardKey.class)) {
                    if (key >= 0) {
                        throw new IllegalStateException(m + " has more than one @ShardKey argument");
                    }
                    key = i;
                }
            }
            return new Plan(m.isAnnotationPresent(Query.class), key);
        }
    }

    private ReplicatedBeanProxy(Class<?> type, Supplier<Derecho> derecho) {
        this.type = type;
        this.derecho = derecho;
    }

    /** A proxy of {@code type}; {@code derecho} is looked up at the first call (the group starts with the context). */
    static <T> T create(Class<T> type, Supplier<Derecho> derecho) {
        if (Modifier.isFinal(type.getModifiers())) {
            throw new IllegalStateException("@ReplicatedBean " + type.getName() + " must not be final: callers get a subclass proxy");
        }
        ReplicatedBeanProxy advice = new ReplicatedBeanProxy(type, derecho);
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class) {
                continue;
            }
            if (Modifier.isFinal(m.getModifiers())) {
                throw new IllegalStateException("@ReplicatedBean " + type.getName() + "." + m.getName()
                        + " must not be final: a final method would run on the proxy, not on the replicas");
            }
            advice.plans.put(m, Plan.of(m)); // now, at start-up: two shard keys are refused here
        }
        ProxyFactory f = new ProxyFactory();
        f.setTargetClass(type);
        f.setProxyTargetClass(true);
        f.addAdvice(advice);
        return type.cast(f.getProxy(type.getClassLoader()));
    }

    /**
     * A query, asked once more (of the shard's next member) if the replica it went to left the
     * view before answering: a query changes nothing, so asking again is safe. Ordered calls are
     * never repeated (one may have taken effect).
     */
    private static Object query(ReplicatedCalls<?> calls, int shard, Method m, Object[] args, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            return calls.queryInShard(shard, m, args).get(timeout);
        } catch (NodeRemovedException e) {
            QueryResults<Object> again = calls.queryInShard(shard, m, args);
            return again.get(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method m = invocation.getMethod();
        Object[] args = invocation.getArguments();
        if (m.getDeclaringClass() == Object.class) {
            return switch (m.getName()) {
                case "toString" -> "replicated " + type.getSimpleName() + " (proxy)";
                case "hashCode" -> System.identityHashCode(invocation.getThis());
                case "equals" -> invocation.getThis() == args[0];
                default -> throw new UnsupportedOperationException(m + " on a replicated bean proxy");
            };
        }
        if (!Modifier.isPublic(m.getModifiers())) {
            throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName()
                    + " is not public: only public methods of a @ReplicatedBean can be called through its proxy");
        }
        Plan plan = plans.computeIfAbsent(m, Plan::of);
        Derecho d = resolved;
        if (d == null) {
            resolved = d = derecho.get();
        }
        ReplicatedCalls<?> calls = d.calls(type);
        long start = System.nanoTime();
        boolean failed = true;
        try {
            int shard = plan.keyIndex >= 0 ? calls.shardOf(args[plan.keyIndex]) : calls.defaultShard(m);
            Object value;
            if (plan.query) {
                value = query(calls, shard, m, args, d.callTimeout());
            } else {
                // Every replica's reply is awaited (a relaying member does the same): when a call returns,
                // every replica in the view has applied it, so a @Query anywhere afterwards sees it.
                QueryResults<Object> r = calls.orderedInShard(shard, m, args);
                value = r.get(d.callTimeout());
            }
            failed = false;
            return value;
        } catch (TimeoutException e) {
            throw new RpcException(type.getSimpleName() + "." + m.getName() + " got no result within "
                    + d.callTimeout().toMillis() + " ms (derecho.call-timeout-millis)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException("interrupted while waiting for " + type.getSimpleName() + "." + m.getName(), e);
        } finally {
            d.observer().completed(type, m, !plan.query, System.nanoTime() - start, failed);
        }
    }
}
