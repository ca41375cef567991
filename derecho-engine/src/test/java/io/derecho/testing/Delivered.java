package io.derecho.testing;

/** One delivery as a member saw it. */
public record Delivered(int shardIndex, int sender, long index, int size, long crc, long version) {
}
