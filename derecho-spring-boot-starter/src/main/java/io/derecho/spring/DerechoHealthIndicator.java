package io.derecho.spring;

import io.derecho.membership.NodeStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP while this node runs in an adequate view; DOWN while it is not started or joining, when the
 * view's layout cannot be filled (inadequate), when it stopped (partitioned from the majority,
 * removed from the view) and after it left.
 */
public class DerechoHealthIndicator implements HealthIndicator {
    private final Derecho derecho;

    public DerechoHealthIndicator(Derecho derecho) {
        this.derecho = derecho;
    }

    @Override
    public Health health() {
        NodeStatus status = derecho.status();
        String state = DerechoEndpoint.state(derecho, status);
        Health.Builder b = "RUNNING".equals(state) ? Health.up() : Health.down();
        b.withDetail("state", state).withDetail("node", derecho.nodeId());
        if (status != null && status.view() != null) {
            b.withDetail("view", status.view().id()).withDetail("members", status.view().members());
        }
        if (status != null && status.stopped() != null) {
            b.withDetail("reason", status.stopped());
        }
        if (status != null && !status.suspected().isEmpty()) {
            b.withDetail("suspected", status.suspected());
        }
        return b.build();
    }
}
