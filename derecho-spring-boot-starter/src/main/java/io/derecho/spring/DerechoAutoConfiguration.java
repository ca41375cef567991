package io.derecho.spring;

import io.derecho.config.ConfigException;
import io.derecho.config.GroupConfig;
import io.derecho.config.Mode;
import io.derecho.config.ShardSpec;
import io.derecho.membership.MembershipSettings;
import io.derecho.object.Group;
import io.derecho.runtime.NodeOptions;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Makes the application a member of a Derecho group: builds the group configuration from the
 * {@code derecho.*} properties (a bad value fails start-up with the property's name), starts the
 * node with every {@link ReplicatedType} bean registered, waits until it takes part when the
 * context starts, and leaves the group cleanly when the context stops.
 */
@AutoConfiguration
@EnableConfigurationProperties(DerechoProperties.class)
public class DerechoAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public GroupConfig derechoGroupConfig(DerechoProperties p) {
        try {
            GroupConfig.Builder b = GroupConfig.builder(p.getGroup());
            for (DerechoProperties.Member m : p.getMembers()) {
                b.member(m.getId(), m.getHost(), m.getPort());
            }
            for (DerechoProperties.Subgroup sg : p.getSubgroups()) {
                ShardSpec[] shards = sg.getShards().stream().map(s -> new ShardSpec(s.getMembers(),
                        s.getSenders().isEmpty() ? null : s.getSenders(), mode(sg.getName(), s.getMode()), null))
                        .toArray(ShardSpec[]::new);
                b.subgroup(sg.getName(), shards);
            }
            return b.build();
        } catch (ConfigException | IllegalArgumentException e) {
            throw new IllegalStateException("invalid derecho.* configuration: " + e.getMessage()
                    + " (keys are relative to 'derecho.')", e);
        }
    }

    private static Mode mode(String subgroup, String mode) {
        try {
            return Mode.valueOf(mode.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid derecho.subgroups[" + subgroup + "].shards[].mode = " + mode
                    + ": must be ordered or unordered");
        }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Group derechoGroup(DerechoProperties p, GroupConfig config, ObjectProvider<ReplicatedType<?>> types) {
        if (p.getNodeId() == null) {
            throw new IllegalStateException("invalid derecho.node-id = (not set): every node needs its id");
        }
        MembershipSettings settings;
        try {
            settings = new MembershipSettings(p.getHeartbeatMillis(), p.getSuspectAfterMillis(), p.isPartitionSafety());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid derecho.heartbeat-millis / derecho.suspect-after-millis: "
                    + e.getMessage(), e);
        }
        NodeOptions options = NodeOptions.defaults().settings(settings);
        if (p.isJoin()) {
            options = options.joining();
        }
        if (p.getListenHost() != null) {
            options = options.listenAt(p.getListenHost(), p.getListenPort());
        }
        Group.Builder builder = Group.builder(config, p.getNodeId()).options(options);
        for (ReplicatedType<?> t : types.orderedStream().toList()) {
            register(builder, t);
        }
        return builder.start();
    }

    private static <T> void register(Group.Builder builder, ReplicatedType<T> t) {
        builder.replicate(t.type(), t.subgroup(), t.factory());
    }

    /** Waits, when the context starts, until the node takes part; the group bean's close leaves it. */
    @Bean
    public SmartLifecycle derechoGroupLifecycle(Group group, DerechoProperties p) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                try {
                    group.awaitReady(Duration.ofSeconds(p.getStartTimeoutSeconds()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while node " + group.nodeId() + " was joining", e);
                } catch (TimeoutException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                running = true;
            }

            @Override
            public void stop() {
                running = false;
                group.close(); // leaves the group cleanly
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
