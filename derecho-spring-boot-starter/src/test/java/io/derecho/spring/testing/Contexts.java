package io.derecho.spring.testing;

import io.derecho.testing.ProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts application contexts that form one group on loopback, for the starter's tests. */
public final class Contexts {
    private Contexts() {
    }

    /** {@code n} distinct free loopback ports. */
    public static int[] freePorts(int n) {
        try {
            return ProcessCluster.freePorts(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's id, the group's name and its members on {@code ports} (node i on ports[i]). */
    public static List<String> memberProperties(int id, String group, int[] ports) {
        List<String> p = new ArrayList<>(List.of("derecho.node-id=" + id, "derecho.group=" + group));
        for (int i = 0; i < ports.length; i++) {
            p.add("derecho.members[" + i + "].id=" + i);
            p.add("derecho.members[" + i + "].host=127.0.0.1");
            p.add("derecho.members[" + i + "].port=" + ports[i]);
        }
        return p;
    }

    public static ConfigurableApplicationContext start(Class<?> app, List<String> properties) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).properties(properties.toArray(String[]::new))
                .run();
    }

    /** Starts the initial members together (view 0 needs all of them); context i has {@code properties.get(i)}. */
    public static List<ConfigurableApplicationContext> startAll(Class<?> app, List<List<String>> properties)
            throws Exception {
        List<CompletableFuture<ConfigurableApplicationContext>> starting = new ArrayList<>();
        for (List<String> p : properties) {
            starting.add(CompletableFuture.supplyAsync(() -> start(app, p)));
        }
        List<ConfigurableApplicationContext> out = new ArrayList<>();
        for (CompletableFuture<ConfigurableApplicationContext> f : starting) {
            out.add(f.get(120, TimeUnit.SECONDS));
        }
        return out;
    }
}
