package io.derecho.spring;

import java.lang.reflect.Method;

/** Told about every replicated-bean call a proxy made (for meters). */
interface CallObserver {
    CallObserver NONE = new CallObserver() {
        @Override
        public void completed(Class<?> type, Method method, boolean ordered, long nanos, boolean failed) {
        }

        @Override
        public void delivered(Class<?> type, long nanos) {
        }
    };

    /** A call returned ({@code failed}: it threw) after {@code nanos}. */
    void completed(Class<?> type, Method method, boolean ordered, long nanos, boolean failed);

    /** An ordered call sent from this node was delivered here {@code nanos} after it was sent. */
    void delivered(Class<?> type, long nanos);
}
