package io.derecho.spring;

import io.derecho.membership.View;
import io.derecho.object.GroupStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of this group member: {@code derecho.messages.sent/delivered} and
 * {@code derecho.bytes.sent/delivered} (multicasts), {@code derecho.views.installed},
 * {@code derecho.failures.detected}, gauges {@code derecho.view.id} and {@code derecho.view.members},
 * and timers {@code derecho.call.latency} (replicated-bean calls, by type, method, kind and
 * outcome) and {@code derecho.delivery.latency} (send to local delivery of this node's ordered calls).
 */
public class DerechoMetrics implements MeterBinder, CallObserver {
    private final Derecho derecho;
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public DerechoMetrics(Derecho derecho) {
        this.derecho = derecho;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        counter(r, "derecho.messages.sent", "messages", "multicast messages this node sent", GroupStatistics::messagesSent);
        counter(r, "derecho.bytes.sent", "bytes", "multicast bytes this node sent", GroupStatistics::bytesSent);
        counter(r, "derecho.messages.delivered", "messages", "multicast messages delivered here", GroupStatistics::messagesDelivered);
        counter(r, "derecho.bytes.delivered", "bytes", "multicast bytes delivered here", GroupStatistics::bytesDelivered);
        counter(r, "derecho.views.installed", "views", "views this node installed", GroupStatistics::viewsInstalled);
        counter(r, "derecho.failures.detected", "members", "members this node suspected of having failed",
                GroupStatistics::failuresSuspected);
        Gauge.builder("derecho.view.id", derecho, d -> view(d, v -> v.id())).description("the installed view's id").register(r);
        Gauge.builder("derecho.view.members", derecho, d -> view(d, v -> v.members().length))
                .description("members of the installed view").register(r);
        this.registry = r;
        derecho.observer(this);
    }

    private void counter(MeterRegistry r, String name, String unit, String description, ToLongFunction<GroupStatistics> f) {
        FunctionCounter.builder(name, derecho, d -> {
            GroupStatistics s = d.statistics();
            return s == null ? 0 : f.applyAsLong(s);
        })
                .baseUnit(unit).description(description).register(r);
    }

    private static double view(Derecho d, ToLongFunction<View> f) {
        View v = d.view();
        return v == null ? Double.NaN : f.applyAsLong(v);
    }

    /** Which timer: a call's (type, method, kind, outcome) or, with a null method, a type's delivery latency. */
    private record TimerKey(Class<?> type, Method method, boolean ordered, boolean failed) {
        Timer register(MeterRegistry r) {
            if (method == null) {
                return Timer.builder("derecho.delivery.latency").tag("type", type.getSimpleName()).register(r);
            }
            return Timer.builder("derecho.call.latency").tag("type", type.getSimpleName()).tag("method", method.getName())
                    .tag("kind", ordered ? "ordered" : "query").tag("outcome", failed ? "error" : "ok").register(r);
        }
    }

    @Override
    public void completed(Class<?> type, Method method, boolean ordered, long nanos, boolean failed) {
        timer(new TimerKey(type, method, ordered, failed)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void delivered(Class<?> type, long nanos) {
        timer(new TimerKey(type, null, true, false)).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(TimerKey key) {
        Timer t = timers.get(key);
        return t != null ? t : timers.computeIfAbsent(key, k -> k.register(registry));
    }
}
