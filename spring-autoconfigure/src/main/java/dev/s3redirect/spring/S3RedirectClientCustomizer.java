package dev.s3redirect.spring;

import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Customises the {@link S3ClientBuilder} of the S3 client the auto-configuration builds when the
 * application has no {@code S3Client} bean: credentials, interceptors, retries, another HTTP
 * client.
 *
 * <p>Every customizer bean is applied, in {@link org.springframework.core.Ordered} order, after the
 * {@code s3-redirect.s3.*} properties, so a customizer has the last word. None is applied to an
 * {@code S3Client} the application defines itself.
 */
@FunctionalInterface
public interface S3RedirectClientCustomizer {

  /**
   * Customises the builder before the client is built.
   *
   * @param builder the builder, already configured from the properties
   */
  void customize(S3ClientBuilder builder);
}
