package dev.s3redirect.spring;

import java.util.ArrayList;
import java.util.List;

/**
 * Spring Boot's own metrics auto-configurations, by name: they moved between Spring Boot 3 and 4,
 * and these tests run against both.
 */
final class BootMetrics {

  private static final List<String> BOOT_4 =
      List.of(
          "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
          "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
          "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration");

  private static final List<String> BOOT_3 =
      List.of(
          "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
          "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
          "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration");

  private BootMetrics() {}

  /** Returns the metrics auto-configuration classes of the Spring Boot on the class path. */
  static Class<?>[] autoConfigurations() {
    List<Class<?>> found = new ArrayList<>();
    for (List<String> generation : List.of(BOOT_4, BOOT_3)) {
      for (String name : generation) {
        try {
          found.add(Class.forName(name));
        } catch (ClassNotFoundException notThisGeneration) {
          // the other generation
        }
      }
      if (!found.isEmpty()) {
        return found.toArray(Class<?>[]::new);
      }
    }
    throw new IllegalStateException("no Spring Boot metrics auto-configuration on the class path");
  }
}
