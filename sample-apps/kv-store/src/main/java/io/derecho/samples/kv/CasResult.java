package io.derecho.samples.kv;

/** The outcome of a compare-and-set: whether it swapped, and the entry now stored (null when absent). */
public record CasResult(boolean swapped, Entry current) {
}
