package io.derecho.spring;

import io.derecho.config.GroupConfig;
import io.derecho.config.SubgroupSpec;
import io.derecho.membership.NodeStatus;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.multicast.ShardLayout;
import io.derecho.object.Group;
import io.derecho.object.GroupStatistics;
import io.derecho.runtime.NodeOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This application's membership in its Derecho group: started when the application context
 * starts (after every bean exists, so replicated beans can be created with their dependencies),
 * left cleanly when it stops. Injected where the application needs the group itself, the full
 * results of calls ({@link #calls}) or its status.
 */
public final class Derecho {
    private static final Logger LOG = LoggerFactory.getLogger(Derecho.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(10);

    private final GroupConfig config;
    private final int nodeId;
    private final NodeOptions options;
    private final Map<String, Integer> shards;
    private final List<ReplicatedType<?>> types;
    private final Duration startTimeout;
    private final Duration callTimeout;
    private final Map<Class<?>, ReplicatedCalls<?>> calls = new ConcurrentHashMap<>();
    private volatile CallObserver observer = CallObserver.NONE;
    private volatile Group group;      // set once this node takes part
    private volatile Group starting;   // set while it joins or forms the group
    private volatile boolean left;
    private volatile Consumer<Object> publisher = event -> { };
    private volatile ExecutorService events;

    Derecho(GroupConfig config, int nodeId, NodeOptions options, Map<String, Integer> shards, List<ReplicatedType<?>> types,
            Duration startTimeout, Duration callTimeout) {
        this.config = config;
        this.nodeId = nodeId;
        this.options = options;
        this.shards = Map.copyOf(shards);
        this.types = List.copyOf(types);
        this.startTimeout = startTimeout;
        this.callTimeout = callTimeout;
    }

    /** Where view events go (the application context); set before {@link #start()}. */
    void publishViewsTo(Consumer<Object> publisher) {
        this.publisher = publisher;
    }

    /** Starts (or joins) the group and waits until this node takes part. */
    synchronized void start() {
        if (group != null) {
            return;
        }
        for (ReplicatedType<?> t : types) {
            if (!shards.containsKey(t.subgroup())) {
                throw new IllegalStateException(t.type().getName() + " is the type of subgroup '" + t.subgroup()
                        + "', which derecho.subgroups (or derecho.layout) does not configure (configured: "
                        + shards.keySet().stream().sorted().toList() + ")");
            }
        }
        ExecutorService events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "derecho-events-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        this.events = events;
        Consumer<Object> publish = publisher;
        ViewListener views = new ViewListener() {
            @Override
            public void onViewInstalled(View view) {
                events.execute(() -> publishSafely(publish, new DerechoViewEvent(nodeId, view, null)));
            }

            @Override
            public void onStopped(String reason) {
                View last = starting != null ? starting.view() : group != null ? group.view() : null;
                events.execute(() -> publishSafely(publish, new DerechoViewEvent(nodeId, last, reason)));
            }
        };
        Group.Builder b = Group.builder(config, nodeId).options(options.viewListener(views));
        types.forEach(t -> register(b, t));
        Group g = b.start();
        starting = g;
        try {
            awaitReady(g);
        } catch (InterruptedException e) {
            abandon(g, events);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node " + nodeId + " was joining group " + config.groupName(), e);
        } catch (TimeoutException | RuntimeException e) {
            abandon(g, events);
            throw new IllegalStateException("node " + nodeId + " could not take part in group '" + config.groupName()
                    + "' within " + startTimeout.toSeconds() + " s (derecho.start-timeout-seconds): " + e.getMessage(), e);
        }
        group = g;
        starting = null;
        left = false;
        LOG.info("Derecho node {} is up in group '{}': {}; serves {}", nodeId, config.groupName(), g.view(),
                describeShards(g));
    }

    /** A start that failed: the half-started member goes away with its event thread. */
    private void abandon(Group g, ExecutorService events) {
        starting = null;
        g.close();
        events.shutdown();
    }

    /** A listener that throws, or a context that is closing, must not stop the events that follow. */
    private void publishSafely(Consumer<Object> publish, DerechoViewEvent event) {
        try {
            publish.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("Derecho node {}: publishing {} failed: {}", nodeId, event, e.toString());
        }
    }

    /** Waits until the node takes part, saying every few seconds what it is waiting for. */
    private void awaitReady(Group g) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            long wait = Math.min(deadline - System.nanoTime(), PROGRESS_EVERY.toNanos());
            try {
                g.awaitReady(Duration.ofNanos(Math.max(wait, 1_000_000)));
                return;
            } catch (TimeoutException e) {
                String waitingFor = e.getMessage().replaceFirst("^node \\d+ not ready after \\S+: ", "");
                if (System.nanoTime() >= deadline) {
                    throw new TimeoutException(waitingFor);
                }
                LOG.info("Derecho node {} is still starting in group '{}' ({} s left of derecho.start-timeout-seconds): {}",
                        nodeId, config.groupName(), Duration.ofNanos(deadline - System.nanoTime()).toSeconds(), waitingFor);
            }
        }
    }

    private static String describeShards(Group g) {
        List<ShardLayout> mine = g.myShards();
        if (mine.isEmpty()) {
            return "no shard (calls are relayed to the members)";
        }
        return mine.stream().map(s -> s.subgroupName() + " shard " + s.shard() + " with members "
                + java.util.Arrays.toString(s.members())).collect(Collectors.joining(", "));
    }

    private static <T> void register(Group.Builder b, ReplicatedType<T> t) {
        b.replicate(t.type(), t.subgroup(), t.factory());
    }

    /** Leaves the group cleanly (what this node sent is delivered first) and stops. */
    synchronized void stop() {
        Group g = group;
        group = null;
        if (g != null) {
            left = true;
            LOG.info("Derecho node {} leaves group '{}'", nodeId, config.groupName());
            View v = g.view();
            if (v != null && v.members().length > 1) {
                try {
                    // More time than Group.close() allows for a clean leave: a whole cluster shutting
                    // down at once is slow, and a member that vanishes mid-leave reads as a failure.
                    g.node().leave(LEAVE_TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            g.close();
        }
        ExecutorService e = events;
        if (e != null) {
            e.shutdown(); // the events already queued (the last view, the stop) still go out
        }
    }

    /** The running group member. */
    public Group group() {
        Group g = group;
        if (g == null) {
            throw new IllegalStateException("the Derecho group is not started: node " + nodeId
                    + " joins when the application context starts and leaves when it stops");
        }
        return g;
    }

    public boolean isRunning() {
        return group != null;
    }

    public int nodeId() {
        return nodeId;
    }

    public GroupConfig config() {
        return config;
    }

    /** The installed view, or null while not running. */
    public View view() {
        Group g = group;
        return g == null ? null : g.view();
    }

    /** This node's view of the group (null before it started and after it left; no view yet while joining). */
    public NodeStatus status() {
        Group g = group != null ? group : starting;
        return g == null ? null : g.status();
    }

    /** True once this node left the group (the context stopped). */
    public boolean hasLeft() {
        return left;
    }

    /** This member's counters, or null while not running. */
    public GroupStatistics statistics() {
        Group g = group;
        return g == null ? null : g.statistics();
    }

    /** Full-detail calls into the subgroup of {@code type} (a {@link ReplicatedBean} or {@link ReplicatedType}). */
    @SuppressWarnings("unchecked")
    public <T> ReplicatedCalls<T> calls(Class<T> type) {
        return (ReplicatedCalls<T>) calls.computeIfAbsent(type, t -> new ReplicatedCalls<>(this, t, subgroupOf(t)));
    }

    private String subgroupOf(Class<?> type) {
        for (ReplicatedType<?> t : types) {
            if (t.type() == type) {
                return t.subgroup();
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a replicated type of this application (annotate it "
                + "with @ReplicatedBean or declare a ReplicatedType bean)");
    }

    /** The configured number of shards of {@code subgroup} (static or dynamic layout), or -1 if it is not configured. */
    public int shardCount(String subgroup) {
        return shards.getOrDefault(subgroup, -1);
    }

    /** The members the static layout gives shard {@code shard} of {@code subgroup}, or -1 (dynamic layout, unknown). */
    public int configuredReplicas(String subgroup, int shard) {
        for (SubgroupSpec s : config.subgroups()) {
            if (s.name().equals(subgroup) && shard < s.shards().size()) {
                return s.shards().get(shard).members().size();
            }
        }
        return -1;
    }

    /** How long a proxy waits for a call's result ({@code derecho.call-timeout-millis}). */
    Duration callTimeout() {
        return callTimeout;
    }

    CallObserver observer() {
        return observer;
    }

    void observer(CallObserver o) {
        this.observer = o;
    }

    @Override
    public String toString() {
        return "Derecho node " + nodeId + " of group '" + config.groupName() + "' (" + (group == null ? "not running" : view()) + ")";
    }
}
