package dev.s3redirect.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording of the filter's JVM says about where the time and the allocation go: Java
 * execution samples ({@code jdk.ExecutionSample}) and allocation samples ({@code
 * jdk.ObjectAllocationSample}, weighted by the bytes each stands for) charged to a layer, and the
 * bytes every thread allocated ({@code jdk.ThreadAllocationStatistics} at the recording's start and
 * end).
 *
 * <p>A sample is charged to the first layer met walking down its stack from the top frame, so JDK
 * code (I/O, collections, digests) and the SDK's utilities count for the library that called them.
 */
final class JfrSummary {

  /** Where a sample is charged, in the order the report lists them. */
  enum Layer {
    SIGNING("SigV4 signing (SDK signer)"),
    SDK("AWS SDK pipeline (marshalling, interceptors, endpoints, identity)"),
    HTTP_CLIENT("HTTP client to S3 (Apache HttpClient 5 and its SDK adapter, JDK HTTP)"),
    STORE("the S3 engine's own code (dev.s3redirect.store)"),
    FILTER("the filter (dev.s3redirect)"),
    JETTY("Jetty (HTTP parsing, servlet, response)"),
    OTHER("other (JDK only, the benchmark's servlet)");

    final String label;

    Layer(String label) {
      this.label = label;
    }
  }

  /** Frames of these packages are charged to their caller. */
  private static final List<String> NEUTRAL =
      List.of("software.amazon.awssdk.utils.", "dev.s3redirect.bench.");

  private static final List<String> SIGNING =
      List.of(
          "software.amazon.awssdk.http.auth.aws.",
          "software.amazon.awssdk.http.auth.spi.",
          "software.amazon.awssdk.auth.signer.");

  private static final List<String> HTTP_CLIENT =
      List.of(
          "org.apache.hc.",
          "org.apache.http.",
          "software.amazon.awssdk.http.apache5.",
          "software.amazon.awssdk.http.apache.",
          "software.amazon.awssdk.http.urlconnection.",
          "jdk.internal.net.http.",
          "java.net.http.",
          "sun.net.www.protocol.http.");

  /** The layer a class belongs to, or null for JDK and neutral code. */
  static Layer layerOf(String className) {
    if (startsWithAny(className, NEUTRAL)) {
      return null;
    }
    if (startsWithAny(className, SIGNING)) {
      return Layer.SIGNING;
    }
    if (startsWithAny(className, HTTP_CLIENT)) {
      return Layer.HTTP_CLIENT;
    }
    if (className.startsWith("software.amazon.awssdk.")) {
      return Layer.SDK;
    }
    if (className.startsWith("dev.s3redirect.store.")) {
      return Layer.STORE;
    }
    if (className.startsWith("dev.s3redirect.")) {
      return Layer.FILTER;
    }
    if (className.startsWith("org.eclipse.jetty.")) {
      return Layer.JETTY;
    }
    return null;
  }

  /** The layer a stack (class names, top frame first) is charged to. */
  static Layer owner(List<String> classesTopFirst) {
    for (String c : classesTopFirst) {
      Layer l = layerOf(c);
      if (l != null) {
        return l;
      }
    }
    return Layer.OTHER;
  }

  /** The summary of one recording. */
  record Summary(
      long executionSamples,
      Map<Layer, Long> time,
      Map<Layer, Long> timeInclusive,
      Map<String, Long> topMethods,
      long allocatedBytes,
      double sampledAllocationBytes,
      Map<Layer, Double> allocationByLayer,
      Map<String, Double> topAllocatedClasses) {}

  static Summary read(Path jfr) throws IOException {
    Map<Layer, Long> time = zeros();
    Map<Layer, Long> inclusive = zeros();
    Map<String, Long> methods = new HashMap<>();
    Map<Layer, Double> alloc = new EnumMap<>(Layer.class);
    for (Layer l : Layer.values()) {
      alloc.put(l, 0.0);
    }
    Map<String, Double> classes = new HashMap<>();
    Map<Long, List<long[]>> threadAlloc = new HashMap<>(); // thread id -> (epoch ms, allocated)
    long samples = 0;
    double sampledAlloc = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        switch (e.getEventType().getName()) {
          case "jdk.ExecutionSample" -> {
            samples++;
            List<String> stack = classes(e.getStackTrace());
            time.merge(owner(stack), 1L, Long::sum);
            Set<Layer> seen = EnumSet.noneOf(Layer.class);
            for (String c : stack) {
              Layer l = layerOf(c);
              if (l != null) {
                seen.add(l);
              }
            }
            seen.forEach(l -> inclusive.merge(l, 1L, Long::sum));
            RecordedStackTrace st = e.getStackTrace();
            if (st != null && !st.getFrames().isEmpty()) {
              RecordedFrame top = st.getFrames().get(0);
              methods.merge(
                  top.getMethod().getType().getName() + "." + top.getMethod().getName(),
                  1L,
                  Long::sum);
            }
          }
          case "jdk.ObjectAllocationSample" -> {
            double weight = e.getLong("weight");
            sampledAlloc += weight;
            alloc.merge(owner(classes(e.getStackTrace())), weight, Double::sum);
            Object type = e.getValue("objectClass");
            String name =
                type instanceof jdk.jfr.consumer.RecordedClass rc ? rc.getName() : "unknown";
            classes.merge(name, weight, Double::sum);
          }
          case "jdk.ThreadAllocationStatistics" -> {
            jdk.jfr.consumer.RecordedThread t = e.getThread("thread");
            if (t != null) {
              threadAlloc
                  .computeIfAbsent(t.getId(), k -> new ArrayList<>())
                  .add(new long[] {e.getStartTime().toEpochMilli(), e.getLong("allocated")});
            }
          }
          default -> {
            // other events of the profile settings are not used
          }
        }
      }
    }
    return new Summary(
        samples,
        time,
        inclusive,
        largest(methods, 12),
        allocatedDuring(threadAlloc),
        sampledAlloc,
        alloc,
        largest(classes, 10));
  }

  /**
   * Bytes allocated between the first and the last statistics event: per thread the difference
   * between its last and first value; a thread seen only at the end (started during the recording)
   * counts whole; a thread seen only at the start (ended during it) is lost.
   */
  static long allocatedDuring(Map<Long, List<long[]>> byThread) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (List<long[]> l : byThread.values()) {
      for (long[] v : l) {
        first = Math.min(first, v[0]);
        last = Math.max(last, v[0]);
      }
    }
    long sum = 0;
    for (List<long[]> l : byThread.values()) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long lastTime = Long.MIN_VALUE;
      for (long[] v : l) {
        min = Math.min(min, v[1]);
        max = Math.max(max, v[1]);
        lastTime = Math.max(lastTime, v[0]);
      }
      if (l.size() > 1) {
        sum += max - min;
      } else if (last - first > 1000 && lastTime > last - 1000) {
        sum += max;
      }
    }
    return sum;
  }

  private static List<String> classes(RecordedStackTrace trace) {
    List<String> out = new ArrayList<>();
    if (trace != null) {
      for (RecordedFrame f : trace.getFrames()) {
        if (f.getMethod() != null && f.getMethod().getType() != null) {
          out.add(f.getMethod().getType().getName());
        }
      }
    }
    return out;
  }

  private static Map<Layer, Long> zeros() {
    Map<Layer, Long> m = new EnumMap<>(Layer.class);
    for (Layer l : Layer.values()) {
      m.put(l, 0L);
    }
    return m;
  }

  private static <N extends Number & Comparable<N>> Map<String, N> largest(
      Map<String, N> counts, int limit) {
    Map<String, N> m = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, N>comparingByValue().reversed())
        .limit(limit)
        .forEach(e -> m.put(e.getKey(), e.getValue()));
    return m;
  }

  private static boolean startsWithAny(String s, List<String> prefixes) {
    for (String p : prefixes) {
      if (s.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
