package io.derecho.spring.ledger;

import io.derecho.spring.DerechoViewEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Collects the view events of its application context (an ordinary @EventListener). */
@Component
public class ViewEvents {
    private final List<DerechoViewEvent> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void onView(DerechoViewEvent event) {
        seen.add(event);
    }

    public List<DerechoViewEvent> seen() {
        return seen;
    }
}
