package io.derecho.multicast;

/**
 * Where the protocol loop hands deliverable batches: the runtime runs them on a delivery thread,
 * the simulator on its event queue. Either must call {@link MulticastGroup#delivered} on the
 * protocol loop once the batch has been delivered, and must keep batches of one shard in order.
 */
@FunctionalInterface
public interface DeliverySink {
    void submit(DeliveryBatch batch);
}
