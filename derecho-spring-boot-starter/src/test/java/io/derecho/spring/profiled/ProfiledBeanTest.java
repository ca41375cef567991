package io.derecho.spring.profiled;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.spring.testing.Contexts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code @Profile} on a {@code @ReplicatedBean} class decides whether it is registered. */
class ProfiledBeanTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    private static List<String> properties(String... more) {
        List<String> p = new ArrayList<>(Contexts.memberProperties(0, "profiled", Contexts.freePorts(1)));
        p.addAll(List.of("derecho.subgroups[0].name=hidden", "derecho.subgroups[0].shards[0].members=0"));
        p.addAll(List.of(more));
        return p;
    }

    @Test
    @Timeout(60)
    void theBeanExistsOnlyUnderItsProfile() {
        try (ConfigurableApplicationContext plain = Contexts.start(App.class, properties())) {
            assertThat(plain.getBeanNamesForType(Hidden.class)).isEmpty();
        }
        try (ConfigurableApplicationContext hidden = Contexts.start(App.class, properties("spring.profiles.active=hidden"))) {
            Hidden bean = hidden.getBean(Hidden.class);
            assertThat(bean.call()).isEqualTo(1);
            assertThat(bean.calls()).isEqualTo(1);
        }
    }
}
