package io.derecho.spring.counter;

import io.derecho.object.CodecState;

/** A replicated counter for the starter's tests. */
public class Counter implements CodecState<Long> {
    private long value;

    public long add(long delta) {
        value += delta;
        return value;
    }

    public long get() {
        return value;
    }

    @Override
    public Long snapshot() {
        return value;
    }

    @Override
    public void restore(Long state) {
        value = state;
    }
}
