package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.TypeDescriptor;

/**
 * The configuration metadata the build generated, read as IDEs read it: from the jar (or classes)
 * that hold {@link S3RedirectProperties}.
 */
class ConfigurationMetadataTest {

  private static final String PREFIX = "s3-redirect.";

  /** Every property, and how many there are: a new one must be added here, and to the README. */
  private static final String[] EVERY_PROPERTY = {
    "s3-redirect.enabled",
    "s3-redirect.allow",
    "s3-redirect.header-name",
    "s3-redirect.buffer-size",
    "s3-redirect.first-byte-timeout",
    "s3-redirect.access-denied-status",
    "s3-redirect.default-cache-control",
    "s3-redirect.max-ranges",
    "s3-redirect.write-mode",
    "s3-redirect.stall-timeout",
    "s3-redirect.error-pages",
    "s3-redirect.rate-limit",
    "s3-redirect.rate-limit-burst",
    "s3-redirect.redirect.rule",
    "s3-redirect.redirect.minimum-size",
    "s3-redirect.redirect.only-without-range",
    "s3-redirect.redirect.lifetime",
    "s3-redirect.redirect.status",
    "s3-redirect.redirect.cloudfront.distribution",
    "s3-redirect.redirect.cloudfront.bucket",
    "s3-redirect.redirect.cloudfront.key-pair-id",
    "s3-redirect.redirect.cloudfront.private-key",
    "s3-redirect.filter.url-patterns",
    "s3-redirect.filter.order",
    "s3-redirect.filter.dispatcher-types",
    "s3-redirect.s3.engine",
    "s3-redirect.s3.receive-buffer-size",
    "s3-redirect.s3.region",
    "s3-redirect.s3.endpoint",
    "s3-redirect.s3.path-style",
    "s3-redirect.s3.checksums",
    "s3-redirect.s3.max-connections",
    "s3-redirect.s3.connection-timeout",
    "s3-redirect.s3.socket-timeout",
    "s3-redirect.s3.access-key",
    "s3-redirect.s3.secret-key",
    "s3-redirect.s3.verify-on-startup",
    "s3-redirect.s3.requester-pays",
    "s3-redirect.buckets",
  };

  private static Map<String, ConfigurationMetadataProperty> properties;

  @BeforeAll
  static void readTheGeneratedMetadata() throws IOException {
    URL home = S3RedirectProperties.class.getProtectionDomain().getCodeSource().getLocation();
    URL metadata =
        home.getPath().endsWith(".jar")
            ? new URL("jar:" + home + "!/META-INF/spring-configuration-metadata.json")
            : new URL(home, "META-INF/spring-configuration-metadata.json");
    try (InputStream in = metadata.openStream()) {
      properties =
          ConfigurationMetadataRepositoryJsonBuilder.create(StandardCharsets.UTF_8)
              .withJsonResource(in)
              .build()
              .getAllProperties()
              .entrySet()
              .stream()
              .filter(entry -> entry.getKey().startsWith(PREFIX))
              .collect(
                  Collectors.toMap(
                      Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }
  }

  @Test
  void listsEveryProperty() {
    assertThat(properties.keySet()).containsExactlyInAnyOrder(EVERY_PROPERTY);
  }

  @Test
  void describesEveryProperty() {
    assertThat(properties.values())
        .allSatisfy(
            property ->
                assertThat(property.getDescription())
                    .as(property.getId())
                    .isNotBlank()
                    .endsWith("."));
  }

  @Test
  void givesTheTrueDefaultOfEveryPropertyThatHasOne() {
    var defaults = new BeanWrapperImpl(new S3RedirectProperties());
    var conversion = ApplicationConversionService.getSharedInstance();
    for (ConfigurationMetadataProperty property : properties.values()) {
      String path = beanPath(property.getId());
      Object actual = defaults.getPropertyValue(path);
      Object documented = property.getDefaultValue();
      if (actual == null
          || (actual instanceof Collection<?> c && c.isEmpty())
          || (actual instanceof Map<?, ?> m && m.isEmpty())) {
        assertThat(documented).as(property.getId() + " has no default").isNull();
        continue;
      }
      assertThat(documented).as(property.getId() + " documents its default").isNotNull();
      Object converted =
          conversion.convert(
              documented,
              TypeDescriptor.forObject(documented),
              defaults.getPropertyTypeDescriptor(path));
      assertThat(converted).as(property.getId()).isEqualTo(actual);
    }
  }

  @Test
  void theReadmeTablesEveryProperty() throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    for (String property : EVERY_PROPERTY) {
      assertThat(text).as("README.md").contains("| `" + property + "` |");
    }
    assertThat(Collections.frequency(java.util.List.of(EVERY_PROPERTY), "")).isZero();
  }

  /** {@code s3-redirect.filter.url-patterns} to {@code filter.urlPatterns}. */
  private static String beanPath(String property) {
    StringBuilder path = new StringBuilder();
    boolean upper = false;
    for (char c : property.substring(PREFIX.length()).toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        path.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return path.toString();
  }
}
