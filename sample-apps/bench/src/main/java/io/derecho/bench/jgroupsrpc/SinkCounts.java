package io.derecho.bench.jgroupsrpc;

import java.util.Map;

/**
 * What every member's sink counted at the end of a run, against what the callers saw acknowledged.
 *
 * @param expectedCalls calls acknowledged by all members, summed over every caller of the run
 * @param expectedBytes argument bytes of those calls
 * @param calls calls counted, by member name
 * @param bytes bytes counted, by member name
 */
public record SinkCounts(long expectedCalls, long expectedBytes, Map<String, Long> calls,
    Map<String, Long> bytes) {

  public SinkCounts {
    calls = Map.copyOf(calls);
    bytes = Map.copyOf(bytes);
  }

  /** Null when every one of {@code members} members counted exactly the expected calls and bytes. */
  public String problem(int members) {
    if (calls.size() != members || bytes.size() != members) {
      return "expected counts from " + members + " members, got calls " + calls + ", bytes " + bytes;
    }
    for (Map.Entry<String, Long> e : calls.entrySet()) {
      if (e.getValue() != expectedCalls) {
        return "members disagree: calls " + calls + " but " + expectedCalls + " were acknowledged";
      }
    }
    for (Map.Entry<String, Long> e : bytes.entrySet()) {
      if (e.getValue() != expectedBytes) {
        return "members disagree: bytes " + bytes + " but " + expectedBytes + " were acknowledged";
      }
    }
    return null;
  }
}
