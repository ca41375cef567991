package io.derecho.bench.rpc;

import io.derecho.object.CodecState;

/** The replicated object of the RPC benchmark: counts the calls and bytes it was given. */
public class Sink implements CodecState<Long> {
    private long calls;
    private long bytes;

    /** One ordered call: every replica counts it; returns how many calls this replica has seen. */
    public long apply(byte[] payload) {
        calls++;
        bytes += payload.length;
        return calls;
    }

    /** A query. */
    public long calls() {
        return calls;
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public Long snapshot() {
        return calls;
    }

    @Override
    public void restore(Long state) {
        calls = state;
    }
}
