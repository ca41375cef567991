package io.derecho.spring.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.spring.testing.Contexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Queries from a node without the shard take the members in turn, and a query whose replica
 * leaves before answering is asked once more, of the next member: the caller gets an answer.
 */
class QueryRetryTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() {
        Gate.hold = null;
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    @Timeout(90)
    void queriesRotateOverTheMembersAndOneWhoseReplicaLeavesIsAskedAgain() throws Exception {
        int[] ports = Contexts.freePorts(3);
        List<List<String>> props = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            List<String> p = new ArrayList<>(Contexts.memberProperties(id, "retry", ports));
            p.addAll(List.of("derecho.subgroups[0].name=gate", "derecho.subgroups[0].shards[0].members=0,1"));
            props.add(p);
        }
        contexts.addAll(Contexts.startAll(App.class, props));
        Gate fromTwo = contexts.get(2).getBean(Gate.class); // node 2 holds no shard of "gate"
        Set<Integer> answered = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            answered.add(fromTwo.whoAnswers("k"));
        }
        assertThat(answered).as("the members take turns").containsExactlyInAnyOrder(0, 1);

        Gate.hold = new CountDownLatch(1);
        CompletableFuture<Integer> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return fromTwo.whoAnswers("k");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Gate.heldOn >= 0);
        int held = Gate.heldOn;
        CompletableFuture<Void> leaving = CompletableFuture.runAsync(() -> contexts.get(held).close());
        // The held replica's node leaves; the query is asked again, of the other member.
        assertThat(pending.get(30, TimeUnit.SECONDS)).isEqualTo(1 - held);
        Gate.hold.countDown();
        leaving.get(30, TimeUnit.SECONDS);
    }
}
