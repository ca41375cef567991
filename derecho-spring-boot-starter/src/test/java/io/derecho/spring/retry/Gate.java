package io.derecho.spring.retry;

import io.derecho.spring.Derecho;
import io.derecho.spring.Query;
import io.derecho.spring.ReplicatedBean;
import io.derecho.spring.ShardKey;
import java.util.concurrent.CountDownLatch;

/** A query that can be held on the first replica that gets it, to take that replica away meanwhile. */
@ReplicatedBean(subgroup = "gate")
public class Gate {
    static volatile CountDownLatch hold;
    static volatile int heldOn = -1;
    private final Derecho derecho;

    public Gate(Derecho derecho) {
        this.derecho = derecho;
    }

    /** The id of the node whose replica answered. */
    @Query
    public int whoAnswers(@ShardKey String key) throws InterruptedException {
        CountDownLatch h = hold;
        if (h != null && heldOn == -1) {
            heldOn = derecho.nodeId();
            h.await();
        }
        return derecho.nodeId();
    }
}
