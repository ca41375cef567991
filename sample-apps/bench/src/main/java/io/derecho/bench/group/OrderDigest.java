package io.derecho.bench.group;

/**
 * Order-sensitive running 64-bit hash over a delivery sequence of (sender, seq) pairs. Two
 * members end with the same value iff (with overwhelming probability) they delivered the same
 * messages in the same order.
 */
public final class OrderDigest {

  private static final long PRIME = 0x100000001B3L;
  private long h = 0xCBF29CE484222325L;
  private long count;

  public void update(int sender, long seq) {
    long k = mix(((long) sender << 48) ^ seq ^ ((long) sender * 0x9E3779B97F4A7C15L));
    h = (h ^ k) * PRIME;
    h = Long.rotateLeft(h, 23) ^ (h >>> 17);
    count++;
  }

  public long value() {
    return h;
  }

  public long count() {
    return count;
  }

  /** 16 hex digits. */
  public String hex() {
    return String.format("%016x", h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
