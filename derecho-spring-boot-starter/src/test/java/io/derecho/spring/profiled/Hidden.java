package io.derecho.spring.profiled;

import io.derecho.spring.Query;
import io.derecho.spring.ReplicatedBean;
import org.springframework.context.annotation.Profile;

/** A replicated bean that exists only under the "hidden" profile. */
@Profile("hidden")
@ReplicatedBean(subgroup = "hidden")
public class Hidden {
    private int calls;

    public int call() {
        return ++calls;
    }

    @Query
    public int calls() {
        return calls;
    }
}
