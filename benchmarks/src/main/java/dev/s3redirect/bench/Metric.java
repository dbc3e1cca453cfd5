package dev.s3redirect.bench;

/** One measured figure of one workload. */
enum Metric {
  LARGE_1("large object, 1 download", "MiB/s", true),
  LARGE_8("large object, 8 concurrent downloads", "MiB/s", true),
  SMALL16_RPS("4 KiB object, 16 connections", "req/s", true),
  SMALL16_P50("4 KiB object, 16 connections, latency p50", "ms", false),
  SMALL16_P99("4 KiB object, 16 connections, latency p99", "ms", false),
  SMALL32_RPS("4 KiB object, 32 connections", "req/s", true),
  SMALL32_P50("4 KiB object, 32 connections, latency p50", "ms", false),
  SMALL32_P99("4 KiB object, 32 connections, latency p99", "ms", false),
  SMALL16_CPU_PATH(
      "4 KiB object, 16 connections, CPU per request: the path's own processes", "ms", false),
  SMALL16_CPU_S3("4 KiB object, 16 connections, CPU per request: the S3 server", "ms", false),
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
