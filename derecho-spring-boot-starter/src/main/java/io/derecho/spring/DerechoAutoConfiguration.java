package io.derecho.spring;

import io.derecho.config.ConfigException;
import io.derecho.config.GroupConfig;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import io.derecho.config.ShardSpec;
import io.derecho.layout.LayoutSpec;
import io.derecho.layout.SubgroupLayoutSpec;
import io.derecho.membership.LayoutPolicy;
import io.derecho.membership.MembershipSettings;
import io.derecho.runtime.NodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * Makes the application a member of a Derecho group: builds the group configuration from the
 * {@code derecho.*} properties (a bad value fails start-up with the property's name), finds the
 * {@link ReplicatedBean} classes, joins the group when the context starts (before the web server
 * takes requests) and leaves it cleanly when the context stops (after the web server).
 */
@AutoConfiguration
@EnableConfigurationProperties(DerechoProperties.class)
public class DerechoAutoConfiguration {
    /** Starts before the web server and stops after it (whose phases are just below the default). */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

    @Bean
    static ReplicatedBeanRegistrar derechoReplicatedBeanRegistrar() {
        return new ReplicatedBeanRegistrar();
    }

    @Bean
    @ConditionalOnMissingBean
    public GroupConfig derechoGroupConfig(DerechoProperties p) {
        if (!"tcp".equalsIgnoreCase(p.getTransport())) {
            throw invalid("transport", p.getTransport(), "this build has the tcp transport only");
        }
        if (p.getConfigFile() != null) {
            return fromFile(p);
        }
        try {
            GroupConfig.Builder b = GroupConfig.builder(p.getGroup());
            for (DerechoProperties.Member m : p.getMembers()) {
                b.member(m.getId(), m.getHost(), m.getPort());
            }
            for (Map.Entry<String, DerechoProperties.Profile> e : p.getProfiles().entrySet()) {
                b.profile(profile(e.getKey(), e.getValue()));
            }
            for (int i = 0; i < p.getSubgroups().size(); i++) {
                DerechoProperties.Subgroup sg = p.getSubgroups().get(i);
                ShardSpec[] shards = new ShardSpec[sg.getShards().size()];
                for (int s = 0; s < shards.length; s++) {
                    DerechoProperties.Shard shard = sg.getShards().get(s);
                    shards[s] = new ShardSpec(shard.getMembers(), shard.getSenders(),
                            mode("subgroups[" + i + "].shards[" + s + "].mode", shard.getMode()), shard.getProfile());
                }
                b.subgroup(sg.getName(), shards);
            }
            return b.build();
        } catch (ConfigException | IllegalArgumentException e) {
            throw new IllegalStateException("invalid derecho.* configuration: " + e.getMessage()
                    + " (keys are relative to 'derecho.')", e);
        }
    }

    private static GroupConfig fromFile(DerechoProperties p) {
        if (!p.getMembers().isEmpty() || !p.getSubgroups().isEmpty() || !p.getProfiles().isEmpty()) {
            throw invalid("config-file", p.getConfigFile(),
                    "with a configuration file, derecho.members, derecho.profiles and derecho.subgroups must be empty");
        }
        Path file = Path.of(p.getConfigFile());
        if (!Files.isReadable(file)) {
            throw invalid("config-file", p.getConfigFile(), "no readable file there");
        }
        try {
            return GroupConfig.load(file);
        } catch (ConfigException e) {
            throw invalid("config-file", p.getConfigFile(), e.getMessage());
        }
    }

    /** The dynamic layout of {@code derecho.layout} or {@code derecho.layout-file}; null for the static one. */
    static LayoutSpec layout(DerechoProperties p) {
        boolean inline = !p.getLayout().getSubgroups().isEmpty();
        if (!inline && p.getLayoutFile() == null) {
            return null;
        }
        if (!p.getSubgroups().isEmpty()) {
            throw invalid(inline ? "layout.subgroups" : "layout-file", inline ? p.getLayout().getSubgroups().size() + " subgroups"
                    : p.getLayoutFile(), "a dynamic layout replaces derecho.subgroups: set one of them");
        }
        if (inline && p.getLayoutFile() != null) {
            throw invalid("layout-file", p.getLayoutFile(), "set derecho.layout or derecho.layout-file, not both");
        }
        try {
            if (!inline) {
                Path file = Path.of(p.getLayoutFile());
                if (!Files.isReadable(file)) {
                    throw invalid("layout-file", p.getLayoutFile(), "no readable file there");
                }
                return LayoutSpec.load(file);
            }
            LayoutSpec.Builder b = LayoutSpec.builder().disjoint(p.getLayout().isDisjoint());
            p.getProfiles().forEach((name, profile) -> b.profile(profile(name, profile)));
            for (int i = 0; i < p.getLayout().getSubgroups().size(); i++) {
                DerechoProperties.LayoutSubgroup sg = p.getLayout().getSubgroups().get(i);
                Mode mode = mode("layout.subgroups[" + i + "].mode", sg.getMode());
                int max = sg.getMaxMembers() == 0 ? SubgroupLayoutSpec.UNBOUNDED : sg.getMaxMembers();
                b.subgroup(sg.getName(), s -> s.shards(sg.getShards()).members(sg.getMinMembers(), max).mode(mode)
                        .profile(sg.getProfile()));
            }
            return b.build();
        } catch (ConfigException e) {
            throw new IllegalStateException("invalid derecho.layout" + (inline ? "" : "-file = " + p.getLayoutFile()) + ": "
                    + e.getMessage(), e);
        }
    }

    private static Profile profile(String name, DerechoProperties.Profile p) {
        Profile d = Profile.defaults();
        return new Profile(name, p.getWindow() != null ? p.getWindow() : d.window(),
                p.getMaxSmcPayload() != null ? p.getMaxSmcPayload() : d.maxSmcPayload(),
                p.getMaxPayload() != null ? p.getMaxPayload() : d.maxPayload(),
                p.getBlockSize() != null ? p.getBlockSize() : d.blockSize(), d.largeWindow(), d.schedule());
    }

    private static Mode mode(String key, String mode) {
        try {
            return Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(key, mode, "must be ordered or unordered");
        }
    }

    static IllegalStateException invalid(String key, Object value, String why) {
        return new IllegalStateException("invalid derecho." + key + " = " + value + ": " + why);
    }

    @Bean
    @ConditionalOnMissingBean
    public Derecho derecho(DerechoProperties p, GroupConfig config, ObjectProvider<ReplicatedType<?>> types) {
        if (p.getNodeId() == null) {
            throw invalid("node-id", "(not set)", "every node needs its id");
        }
        if (p.getCallTimeoutMillis() <= 0) {
            throw invalid("call-timeout-millis", p.getCallTimeoutMillis(), "must be positive");
        }
        if (p.getStartTimeoutSeconds() <= 0) {
            throw invalid("start-timeout-seconds", p.getStartTimeoutSeconds(), "must be positive");
        }
        if (!p.isJoin() && config.member(p.getNodeId()).isEmpty()) {
            throw invalid("node-id", p.getNodeId(), "not one of derecho.members " + config.members().stream()
                    .map(m -> m.id()).toList() + " (a node that is not an initial member sets derecho.join=true)");
        }
        if (p.getHeartbeatMillis() < 1) {
            throw invalid("heartbeat-millis", p.getHeartbeatMillis(), "must be at least 1");
        }
        MembershipSettings settings;
        try {
            settings = new MembershipSettings(p.getHeartbeatMillis(), p.getSuspectAfterMillis(), p.isPartitionSafety());
        } catch (IllegalArgumentException e) {
            throw invalid("suspect-after-millis", p.getSuspectAfterMillis(), e.getMessage()
                    .replaceFirst("^invalid membership\\.suspectAfterMillis = \\S+: ", ""));
        }
        Duration startTimeout = Duration.ofSeconds(p.getStartTimeoutSeconds());
        // a joiner keeps asking the group for as long as start-up may take
        NodeOptions options = NodeOptions.defaults().settings(settings).joinTimeout(startTimeout);
        LayoutSpec layout = layout(p);
        Map<String, Integer> shards = new LinkedHashMap<>();
        if (layout != null) {
            options = options.layouts(LayoutPolicy.of(layout));
            layout.subgroups().forEach(s -> shards.put(s.name(), s.shards()));
        } else {
            config.subgroups().forEach(s -> shards.put(s.name(), s.shards().size()));
        }
        if (p.isJoin()) {
            options = options.joining();
        }
        if (p.getListenHost() == null && p.getListenPort() != 0) {
            throw invalid("listen-port", p.getListenPort(), "needs derecho.listen-host as well");
        }
        if (p.isJoin() && p.getListenHost() == null && config.member(p.getNodeId()).isEmpty()) {
            throw invalid("listen-host", "(not set)", "node " + p.getNodeId() + " is not one of derecho.members, so as a "
                    + "joiner it needs derecho.listen-host and derecho.listen-port to be reachable at");
        }
        if (p.getListenHost() != null) {
            if (p.getListenPort() <= 0 || p.getListenPort() > 65535) {
                throw invalid("listen-port", p.getListenPort(), "must be a port between 1 and 65535");
            }
            options = options.listenAt(p.getListenHost(), p.getListenPort());
        }
        return new Derecho(config, p.getNodeId(), options, shards, types.orderedStream().toList(), startTimeout,
                Duration.ofMillis(p.getCallTimeoutMillis()));
    }

    /** Joins when the context starts (after every singleton exists), leaves cleanly when it stops. */
    @Bean
    public SmartLifecycle derechoLifecycle(Derecho derecho, ApplicationEventPublisher events) {
        derecho.publishViewsTo(events::publishEvent);
        return new SmartLifecycle() {
            @Override
            public void start() {
                derecho.start();
            }

            @Override
            public void stop() {
                derecho.stop();
            }

            @Override
            public boolean isRunning() {
                return derecho.isRunning();
            }

            @Override
            public int getPhase() {
                return PHASE;
            }
        };
    }
}
