package io.derecho.testing;

/** One message as its sender sent it. */
public record Sent(int shardIndex, int sender, long index, int size) {
}
