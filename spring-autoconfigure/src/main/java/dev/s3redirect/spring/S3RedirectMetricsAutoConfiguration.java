package dev.s3redirect.spring;

import dev.s3redirect.S3RedirectFilter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Binds the s3-redirect filter to Micrometer ({@link S3RedirectMetrics}) when the application has a
 * {@link MeterRegistry}.
 *
 * <p>Ordered after Spring Boot's own metrics auto-configuration, whose classes moved between Spring
 * Boot 3 ({@code org.springframework.boot.actuate.autoconfigure.metrics}) and 4 ({@code
 * org.springframework.boot.micrometer.metrics.autoconfigure}); both are named.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({MeterRegistry.class, S3RedirectFilter.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(
    prefix = "s3-redirect",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class S3RedirectMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public S3RedirectMetricsAutoConfiguration() {}

  /**
   * The filter's meters, in the application's registry.
   *
   * @param registry the application's meter registry
   * @return the listener that records them
   */
  @Bean
  @ConditionalOnMissingBean
  public S3RedirectMetrics s3RedirectMetrics(MeterRegistry registry) {
    return new S3RedirectMetrics(registry);
  }
}
