package dev.s3redirect.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and range of a handful of samples, and paired ratios between two targets' samples. */
final class Stats {

  private Stats() {}

  /** A median with the smallest and largest sample. */
  record Summary(double median, double min, double max, int count) {}

  static Summary summarize(List<Double> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new Summary(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** Per-round ratios {@code a[i] / b[i]}: both lists hold one sample per round, in round order. */
  static List<Double> ratios(List<Double> a, List<Double> b) {
    requireSameLength(a, b);
    List<Double> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) / b.get(i));
    }
    return out;
  }

  /** Per-round differences {@code a[i] - b[i]}. */
  static List<Double> differences(List<Double> a, List<Double> b) {
    requireSameLength(a, b);
    List<Double> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i) - b.get(i));
    }
    return out;
  }

  /** The value at percentile {@code p} (0..100) by the nearest-rank method. */
  static double percentile(List<Double> samples, double p) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static void requireSameLength(List<Double> a, List<Double> b) {
    if (a.size() != b.size()) {
      throw new IllegalArgumentException("rounds differ: " + a.size() + " vs " + b.size());
    }
  }
}
