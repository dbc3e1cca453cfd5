package dev.s3redirect.spring;

import static dev.s3redirect.spring.S3RedirectProperties.invalid;

import dev.s3redirect.spring.S3RedirectProperties.Checksums;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the S3 client of {@code s3-redirect.s3.*}, for applications without one of their own. */
final class S3ClientFactory {

  /** Shown instead of a credential that is missing: never the other one's value. */
  private static final String NOT_SET = "(not set)";

  /** Shown instead of a blank credential. */
  private static final String BLANK = "(blank)";

  private S3ClientFactory() {}

  /**
   * Returns a builder configured from the properties: region, endpoint, addressing, checksums,
   * static credentials when given (else the SDK's default chain) and an Apache HttpClient 5 with
   * the pool size and timeouts.
   *
   * @throws
   *     org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
   *     naming the first invalid property, or the region when none can be found
   */
  static S3ClientBuilder builder(S3RedirectProperties.S3 properties) {
    return builder(properties, "s3.");
  }

  /**
   * Returns a builder configured from the properties under {@code prefix} ({@code s3.} or {@code
   * buckets[<route>].}), which errors name. Without an endpoint, the client reaches buckets in
   * other regions than its own (the SDK's cross-region access).
   */
  static S3ClientBuilder builder(S3RedirectProperties.S3 properties, String prefix) {
    URI endpoint = endpoint(properties.getEndpoint(), prefix);
    int maxConnections = properties.getMaxConnections();
    if (maxConnections < 1) {
      throw invalid(prefix + "max-connections", maxConnections, "must be at least 1");
    }
    Duration connectionTimeout =
        positive(prefix + "connection-timeout", properties.getConnectionTimeout());
    Duration socketTimeout = positive(prefix + "socket-timeout", properties.getSocketTimeout());
    Checksums checksums = properties.getChecksums();
    if (checksums == null) {
      throw invalid(prefix + "checksums", null, "must be when-supported or when-required");
    }
    S3ClientBuilder builder =
        S3Client.builder()
            .region(region(properties.getRegion(), endpoint, prefix))
            .crossRegionAccessEnabled(endpoint == null)
            .forcePathStyle(properties.isPathStyle())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(maxConnections)
                    .connectionTimeout(connectionTimeout)
                    .socketTimeout(socketTimeout));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    AwsCredentialsProvider credentials = credentials(properties, prefix);
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    if (checksums == Checksums.WHEN_REQUIRED) {
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder;
  }

  /**
   * The configured region; else the SDK's default region chain; else, for an S3-compatible endpoint
   * (which rarely cares), us-east-1.
   */
  private static Region region(String configured, URI endpoint, String prefix) {
    if (configured != null) {
      if (configured.isBlank()) {
        throw invalid(prefix + "region", configured, "must not be blank");
      }
      return Region.of(configured.strip());
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException noRegion) {
      if (endpoint != null) {
        return Region.US_EAST_1;
      }
      throw invalid(
          prefix + "region",
          null,
          "no region was found; set s3-redirect."
              + prefix
              + "region, the AWS_REGION environment variable, the aws.region system property or a"
              + " region in the AWS profile");
    }
  }

  /**
   * Static credentials from {@code access-key} and {@code secret-key}, both or neither; null for
   * neither (the SDK's default chain). Errors never show either value.
   */
  private static AwsCredentialsProvider credentials(
      S3RedirectProperties.S3 properties, String prefix) {
    String accessKey = properties.getAccessKey();
    String secretKey = properties.getSecretKey();
    if (accessKey == null && secretKey == null) {
      return null;
    }
    if (accessKey == null || secretKey == null) {
      String missing = prefix + (accessKey == null ? "access-key" : "secret-key");
      throw invalid(
          missing,
          NOT_SET,
          "set both s3-redirect."
              + prefix
              + "access-key and s3-redirect."
              + prefix
              + "secret-key, or neither (for the AWS SDK's default credentials chain)");
    }
    if (accessKey.isBlank()) {
      throw invalid(prefix + "access-key", BLANK, "must not be blank");
    }
    if (secretKey.isBlank()) {
      throw invalid(prefix + "secret-key", BLANK, "must not be blank");
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKey.strip(), secretKey.strip()));
  }

  private static URI endpoint(URI endpoint, String prefix) {
    if (endpoint == null) {
      return null;
    }
    String scheme = endpoint.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || endpoint.getHost() == null) {
      throw invalid(
          prefix + "endpoint", endpoint, "must be an http:// or https:// URL with a host");
    }
    return endpoint;
  }

  private static Duration positive(String property, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw invalid(property, value, "must be a positive duration");
    }
    return value;
  }
}
