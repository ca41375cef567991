package io.derecho.object;

/** A later release of {@link Counter} with one more method, which older members do not know. */
public class CounterV2 extends Counter {
    public long twice() {
        return add(get());
    }
}
