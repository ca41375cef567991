package io.derecho.spring.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.spring.testing.Contexts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/** A @ReplicatedBean that component scanning also finds: the proxy replaces the plain bean. */
class ComponentAnnotatedBeanTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan
    static class App {
    }

    @Test
    @Timeout(60)
    void theProxyIsTheOnlyBeanOfTheClass() throws Exception {
        List<String> p = new ArrayList<>(Contexts.memberProperties(0, "component", Contexts.freePorts(1)));
        p.addAll(List.of("derecho.subgroups[0].name=tally", "derecho.subgroups[0].shards[0].members=0"));
        try (ConfigurableApplicationContext c = Contexts.start(App.class, p)) {
            assertThat(c.getBeanNamesForType(Tally.class)).containsExactly("tally");
            Tally tally = c.getBean(Tally.class);
            assertThat(tally.getClass()).isNotEqualTo(Tally.class);
            assertThat(tally.add(2)).isEqualTo(2);
            assertThat(tally.add(3)).isEqualTo(5);
        }
    }
}
