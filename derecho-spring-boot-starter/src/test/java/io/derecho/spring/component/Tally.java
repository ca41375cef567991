package io.derecho.spring.component;

import io.derecho.spring.ReplicatedBean;
import org.springframework.stereotype.Component;

/** A replicated bean that is also (by mistake) a @Component: the proxy must still be the only bean. */
@Component
@ReplicatedBean(subgroup = "tally")
public class Tally {
    private long total;

    public long add(long n) {
        total += n;
        return total;
    }
}
