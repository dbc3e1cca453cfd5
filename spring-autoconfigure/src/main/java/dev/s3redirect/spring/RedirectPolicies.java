package dev.s3redirect.spring;

import dev.s3redirect.CloudFrontSignedUrls;
import dev.s3redirect.RedirectPolicy;
import dev.s3redirect.S3Location;
import dev.s3redirect.S3PresignedUrls;
import dev.s3redirect.UrlSigner;
import java.util.function.Predicate;
import org.springframework.util.ClassUtils;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The redirect policy built from {@code s3-redirect.redirect.*}: none for the {@code never} rule;
 * else presigned S3 URLs signed like the default client (its region, endpoint, path style and
 * credentials), or CloudFront signed URLs when a distribution is set. Owns the presigner it built
 * and closes it with the context.
 */
final class RedirectPolicies implements AutoCloseable {

  private static final String PREFIX = "redirect.";
  private static final String PROBE_BUCKET = "s3-redirect-probe";
  private static final String CLOUDFRONT_UTILITIES =
      "software.amazon.awssdk.services.cloudfront.CloudFrontUtilities";

  private final RedirectPolicy policy;
  private final S3Presigner owned;

  private RedirectPolicies(RedirectPolicy policy, S3Presigner owned) {
    this.policy = policy;
    this.owned = owned;
  }

  /**
   * Builds the policy of the properties.
   *
   * @param properties the bound properties
   * @param client the default S3 client
   * @param presignable which objects presigned URLs can reach: those read through the default
   *     client without requester-pays
   * @throws
   *     org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
   *     naming the first invalid property
   */
  static RedirectPolicies build(
      S3RedirectProperties properties, S3Client client, Predicate<S3Location> presignable) {
    S3RedirectProperties.Redirect redirect = properties.getRedirect();
    if (redirect.getRule() == null) {
      throw S3RedirectProperties.invalid(PREFIX + "rule", null, "must be set");
    }
    if (redirect.getRule() == S3RedirectProperties.Redirect.Rule.NEVER) {
      return new RedirectPolicies(null, null);
    }
    S3Presigner presigner = null;
    UrlSigner signer;
    S3RedirectProperties.CloudFront cloudfront = redirect.getCloudfront();
    if (cloudfront.getDistribution() != null) {
      signer = cloudFront(cloudfront);
    } else {
      // Signed like the client: its region, endpoint, credentials and addressing. A client does
      // not tell whether it addresses buckets by path; the URL it gives an object does.
      S3ServiceClientConfiguration configuration = client.serviceClientConfiguration();
      boolean pathStyle =
          !client
              .utilities()
              .getUrl(url -> url.bucket(PROBE_BUCKET).key("k"))
              .getHost()
              .startsWith(PROBE_BUCKET + ".");
      presigner =
          S3Presigner.builder()
              .region(configuration.region())
              .credentialsProvider(configuration.credentialsProvider())
              .endpointOverride(configuration.endpointOverride().orElse(null))
              .serviceConfiguration(
                  S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
              .build();
      boolean requesterPays = properties.getS3().isRequesterPays();
      signer = new S3PresignedUrls(presigner, presignable.and(location -> !requesterPays));
    }
    try {
      RedirectPolicy.Builder builder = RedirectPolicy.builder(signer);
      builder.rule(RedirectPolicy.Rule.valueOf(redirect.getRule().name()));
      set(
          "minimum-size",
          redirect.getMinimumSize(),
          () -> builder.minimumSize(redirect.getMinimumSize().toBytes()));
      builder.onlyWithoutRange(redirect.isOnlyWithoutRange());
      set("lifetime", redirect.getLifetime(), () -> builder.lifetime(redirect.getLifetime()));
      set("status", redirect.getStatus(), () -> builder.status(redirect.getStatus()));
      return new RedirectPolicies(builder.build(), presigner);
    } catch (RuntimeException e) {
      if (presigner != null) {
        presigner.close();
      }
      throw e;
    }
  }

  private static UrlSigner cloudFront(S3RedirectProperties.CloudFront cloudfront) {
    String prefix = PREFIX + "cloudfront.";
    if (!ClassUtils.isPresent(CLOUDFRONT_UTILITIES, RedirectPolicies.class.getClassLoader())) {
      throw S3RedirectProperties.invalid(
          prefix + "distribution",
          cloudfront.getDistribution(),
          "CloudFront signed URLs need software.amazon.awssdk:cloudfront on the classpath");
    }
    if (cloudfront.getBucket() == null || cloudfront.getBucket().isBlank()) {
      throw S3RedirectProperties.invalid(
          prefix + "bucket", cloudfront.getBucket(), "name the bucket the distribution serves");
    }
    if (cloudfront.getKeyPairId() == null || cloudfront.getKeyPairId().isBlank()) {
      throw S3RedirectProperties.invalid(
          prefix + "key-pair-id", cloudfront.getKeyPairId(), "must be set");
    }
    if (cloudfront.getPrivateKey() == null) {
      throw S3RedirectProperties.invalid(
          prefix + "private-key", null, "the PEM file of the private key must be set");
    }
    try {
      return CloudFrontSignedUrls.fromPemFile(
          cloudfront.getBucket(),
          cloudfront.getDistribution(),
          cloudfront.getKeyPairId(),
          cloudfront.getPrivateKey());
    } catch (IllegalArgumentException e) {
      // The message names the file, never the key.
      throw S3RedirectProperties.invalid(
          prefix + "private-key", cloudfront.getPrivateKey(), e.getMessage());
    }
  }

  private static void set(String property, Object value, Runnable apply) {
    try {
      if (value == null) {
        throw new IllegalArgumentException("must be set");
      }
      apply.run();
    } catch (IllegalArgumentException e) {
      throw S3RedirectProperties.invalid(PREFIX + property, value, e.getMessage());
    }
  }

  /** The policy, or {@code null} when the filter never redirects. */
  RedirectPolicy policy() {
    return policy;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }
}
