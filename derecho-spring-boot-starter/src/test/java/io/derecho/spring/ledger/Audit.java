package io.derecho.spring.ledger;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** An ordinary singleton bean injected into every Ledger replica of the application. */
@Component
public class Audit {
    private final AtomicLong deposits = new AtomicLong();

    void record(String account) {
        deposits.incrementAndGet();
    }

    public long deposits() {
        return deposits.get();
    }
}
