package dev.s3redirect.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Samples per metric and target, one per round, in round order. */
final class Results {
  private final Map<Metric, Map<Target, List<Double>>> samples = new EnumMap<>(Metric.class);

  void add(Metric metric, Target target, double value) {
    samples
        .computeIfAbsent(metric, m -> new LinkedHashMap<>())
        .computeIfAbsent(target, t -> new ArrayList<>())
        .add(value);
  }

  List<Double> get(Metric metric, Target target) {
    return samples.getOrDefault(metric, Map.of()).getOrDefault(target, List.of());
  }

  boolean has(Metric metric, Target target) {
    return !get(metric, target).isEmpty();
  }
}
