package io.derecho.spring.counter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.object.Call;
import io.derecho.object.Counter;
import io.derecho.object.Group;
import io.derecho.spring.Derecho;
import io.derecho.spring.ReplicatedType;
import io.derecho.spring.testing.Contexts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** Application contexts in one JVM, on different ports, forming one group through the starter. */
class StarterTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        ReplicatedType<Counter> counters() {
            return new ReplicatedType<>(Counter.class, "counters", Counter::new);
        }
    }

    private static String[] properties(int id, int[] ports) {
        List<String> p = new ArrayList<>(Contexts.memberProperties(id, "starter-test", ports));
        p.add("derecho.subgroups[0].name=counters");
        for (int i = 0; i < ports.length; i++) {
            p.add("derecho.subgroups[0].shards[0].members[" + i + "]=" + i);
        }
        return p.toArray(String[]::new);
    }

    private static ConfigurableApplicationContext start(String... props) {
        return Contexts.start(App.class, List.of(props));
    }

    @Test
    @Timeout(90)
    void contextsFormOneGroupAndOrderedCallsReachEveryReplica() throws Exception {
        int[] ports = Contexts.freePorts(2);
        // View 0 needs every initial member: the contexts start together.
        CompletableFuture<ConfigurableApplicationContext> c0 = CompletableFuture.supplyAsync(() -> start(properties(0, ports)));
        CompletableFuture<ConfigurableApplicationContext> c1 = CompletableFuture.supplyAsync(() -> start(properties(1, ports)));
        try (ConfigurableApplicationContext a = c0.get(60, TimeUnit.SECONDS);
             ConfigurableApplicationContext b = c1.get(60, TimeUnit.SECONDS)) {
            Group g0 = a.getBean(Derecho.class).group();
            Group g1 = b.getBean(Derecho.class).group();
            assertThat(g0.view().members()).containsExactly(0, 1);
            long v = g0.replicated(Counter.class).ordered(Call.of(Counter::add, 7L)).get();
            assertThat(v).isEqualTo(7);
            assertThat(g1.replicated(Counter.class).ordered(Call.of(Counter::get)).all().get(10, TimeUnit.SECONDS))
                    .containsEntry(0, 7L).containsEntry(1, 7L);
        }
    }

    @Test
    @Timeout(60)
    void aMissingOrBadPropertyFailsStartUpNamingIt() {
        assertThatThrownBy(() -> start("derecho.group=g", "derecho.members[0].id=0", "derecho.members[0].host=127.0.0.1",
                "derecho.members[0].port=7000", "derecho.subgroups[0].name=counters",
                "derecho.subgroups[0].shards[0].members[0]=0"))
                .hasStackTraceContaining("derecho.node-id");
        assertThatThrownBy(() -> start("derecho.node-id=0", "derecho.group=g", "derecho.members[0].id=0",
                "derecho.members[0].host=127.0.0.1", "derecho.members[0].port=70000", "derecho.subgroups[0].name=counters",
                "derecho.subgroups[0].shards[0].members[0]=0"))
                .hasStackTraceContaining("port").hasStackTraceContaining("70000");
        List<String> good = List.of(properties(0, new int[] {7000}));
        assertThatThrownBy(() -> start(with(good, "derecho.transport=rdma")))
                .hasStackTraceContaining("invalid derecho.transport = rdma");
        assertThatThrownBy(() -> start(with(good, "derecho.subgroups[0].shards[0].mode=sometimes")))
                .hasStackTraceContaining("invalid derecho.subgroups[0].shards[0].mode = sometimes");
        assertThatThrownBy(() -> start(with(good, "derecho.node-id=9")))
                .hasStackTraceContaining("invalid derecho.node-id = 9").hasStackTraceContaining("derecho.join=true");
        assertThatThrownBy(() -> start(with(good, "derecho.suspect-after-millis=150")))
                .hasStackTraceContaining("invalid derecho.suspect-after-millis = 150: must be at least twice");
        assertThatThrownBy(() -> start(with(good, "derecho.listen-port=7001")))
                .hasStackTraceContaining("invalid derecho.listen-port = 7001: needs derecho.listen-host");
        assertThatThrownBy(() -> start(with(good, "derecho.call-timeout-millis=0")))
                .hasStackTraceContaining("invalid derecho.call-timeout-millis = 0");
        assertThatThrownBy(() -> start(with(good, "derecho.subgroups[0].name=other")))
                .hasStackTraceContaining("subgroup 'counters', which derecho.subgroups (or derecho.layout) does not configure");
        assertThatThrownBy(() -> start("derecho.node-id=0", "derecho.config-file=no/such/group.yaml"))
                .hasStackTraceContaining("invalid derecho.config-file = no/such/group.yaml: no readable file there");
        assertThatThrownBy(() -> start(with(good, "derecho.config-file=group.yaml")))
                .hasStackTraceContaining("derecho.members, derecho.profiles and derecho.subgroups must be empty");
        assertThatThrownBy(() -> start(with(good, "derecho.layout.subgroups[0].name=counters")))
                .hasStackTraceContaining("invalid derecho.layout.subgroups").hasStackTraceContaining("replaces derecho.subgroups");
        assertThatThrownBy(() -> start("derecho.node-id=0", "derecho.members[0].id=0", "derecho.members[0].host=127.0.0.1",
                "derecho.members[0].port=7000", "derecho.layout.subgroups[0].name=counters",
                "derecho.layout.subgroups[0].min-members=3", "derecho.layout.subgroups[0].max-members=2"))
                .hasStackTraceContaining("invalid derecho.layout").hasStackTraceContaining("maxMembersPerShard");
        assertThatThrownBy(() -> start("derecho.node-id=0", "derecho.members[0].id=0", "derecho.members[0].host=127.0.0.1",
                "derecho.members[0].port=7000", "derecho.layout-file=no/such/layout.yaml"))
                .hasStackTraceContaining("invalid derecho.layout-file = no/such/layout.yaml: no readable file there");
        assertThatThrownBy(() -> start(with(good, "derecho.profiles.big.window=0", "derecho.subgroups[0].shards[0].profile=big")))
                .hasStackTraceContaining("profiles.big.window").hasStackTraceContaining("0");
    }

    @Test
    @Timeout(60)
    void theGroupCanComeFromAConfigurationFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int port = Contexts.freePorts(1)[0];
        java.nio.file.Path file = dir.resolve("group.yaml");
        java.nio.file.Files.writeString(file, String.join("\n", "group: from-file", "members:",
                "  - {id: 0, host: 127.0.0.1, port: " + port + "}", "subgroups:", "  - name: counters", "    shards:",
                "      - members: [0]", ""));
        try (ConfigurableApplicationContext c = start("derecho.node-id=0", "derecho.config-file=" + file)) {
            Group g = c.getBean(Derecho.class).group();
            assertThat(g.view().members()).containsExactly(0);
            assertThat(g.replicated(Counter.class).ordered(Call.of(Counter::add, 3L)).get()).isEqualTo(3);
        }
    }

    private static String[] with(List<String> base, String... more) {
        List<String> p = new ArrayList<>(base);
        p.addAll(List.of(more));
        return p.toArray(String[]::new);
    }
}
