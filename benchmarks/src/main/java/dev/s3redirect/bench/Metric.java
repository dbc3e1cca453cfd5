package dev.s3redirect.bench;

/** One measured figure of one workload. */
enum Metric {
  LARGE_1("large object, 1 download", "MiB/s", true),
  LARGE_8("large object, 8 concurrent downloads", "MiB/s", true),
  SMALL_RPS("4 KiB object, 16 connections", "req/s", true),
  SMALL_P50("4 KiB object, 16 connections, latency p50", "ms", false),
  SMALL_P99("4 KiB object, 16 connections, latency p99", "ms", false),
  TTFB_P50("1 MiB object, time to first byte p50 (sequential)", "ms", false);

  final String label;
  final String unit;
  final boolean higherIsBetter;

  Metric(String label, String unit, boolean higherIsBetter) {
    this.label = label;
    this.unit = unit;
    this.higherIsBetter = higherIsBetter;
  }
}
