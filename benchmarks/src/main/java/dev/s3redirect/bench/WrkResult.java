package dev.s3redirect.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * What one wrk run reported through the {@code done} hook of its Lua script: one line starting
 * {@code BENCH } with {@code name=value} pairs, all integers (durations and latencies in µs).
 */
record WrkResult(
    long requests,
    long bytes,
    long durationMicros,
    long connectErrors,
    long readErrors,
    long writeErrors,
    long statusErrors,
    long timeouts,
    long p50Micros,
    long p99Micros) {

  /** The Lua script whose {@code done} hook prints the line {@link #parse} reads. */
  static final String SCRIPT =
      """
      done = function(summary, latency, requests)
        io.write(string.format(
          "BENCH requests=%d bytes=%d duration_us=%d connect=%d read=%d write=%d status=%d"
          .. " timeout=%d p50_us=%d p99_us=%d\\n",
          summary.requests, summary.bytes, summary.duration,
          summary.errors.connect, summary.errors.read, summary.errors.write,
          summary.errors.status, summary.errors.timeout,
          latency:percentile(50), latency:percentile(99)))
      end
      """;

  static WrkResult parse(String output) {
    for (String line : output.split("\n")) {
      if (!line.startsWith("BENCH ")) {
        continue;
      }
      Map<String, Long> values = new HashMap<>();
      for (String pair : line.substring(6).trim().split(" ")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
      }
      return new WrkResult(
          get(values, "requests"),
          get(values, "bytes"),
          get(values, "duration_us"),
          get(values, "connect"),
          get(values, "read"),
          get(values, "write"),
          get(values, "status"),
          get(values, "timeout"),
          get(values, "p50_us"),
          get(values, "p99_us"));
    }
    throw new IllegalArgumentException("no BENCH line in wrk output:\n" + output);
  }

  double seconds() {
    return durationMicros / 1e6;
  }

  double mibPerSecond() {
    return bytes / seconds() / (1024.0 * 1024.0);
  }

  double requestsPerSecond() {
    return requests / seconds();
  }

  /** Errors that mean a response was wrong or missing (wrk's timeouts only count slow ones). */
  long hardErrors() {
    return connectErrors + writeErrors + statusErrors;
  }

  private static long get(Map<String, Long> values, String name) {
    Long value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("wrk output lacks " + name);
    }
    return value;
  }
}
