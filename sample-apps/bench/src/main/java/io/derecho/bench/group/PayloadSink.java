package io.derecho.bench.group;

/** Where a group transport hands each delivered message, in delivery order. */
@FunctionalInterface
public interface PayloadSink {
  void deliver(byte[] buf, int off, int len);
}
