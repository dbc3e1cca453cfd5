package dev.s3redirect;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.model.CannedSignerRequest;

/**
 * Signs CloudFront URLs with a canned policy, with the AWS SDK's {@link CloudFrontUtilities}: the
 * client downloads through a CloudFront distribution whose origin is the bucket. Needs the optional
 * dependency {@code software.amazon.awssdk:cloudfront}.
 *
 * <p>It signs for the objects of its one bucket, at {@code distribution + "/" + key}; objects of
 * other buckets, and objects named with a version id (which a distribution cannot select), are
 * streamed. The application's {@code Content-Type} and {@code Content-Disposition} are not passed
 * on: a distribution sends what its origin stores.
 */
public final class CloudFrontSignedUrls implements UrlSigner {

  private final String bucket;
  private final URI distribution;
  private final String keyPairId;
  private final PrivateKey privateKey;
  private final Clock clock;
  private final CloudFrontUtilities utilities = CloudFrontUtilities.create();

  /**
   * Signs for one bucket's objects through a distribution.
   *
   * @param bucket the bucket that is the distribution's origin
   * @param distribution the distribution's base URL, such as {@code
   *     https://d111111abcdef8.cloudfront.net}
   * @param keyPairId the id of the public key (or key pair) CloudFront verifies signatures with
   * @param privateKey its private key (RSA)
   */
  public CloudFrontSignedUrls(
      String bucket, URI distribution, String keyPairId, PrivateKey privateKey) {
    this(bucket, distribution, keyPairId, privateKey, Clock.systemUTC());
  }

  /**
   * Signs for one bucket's objects through a distribution, with the private key in a PEM file
   * (PKCS#1 {@code BEGIN RSA PRIVATE KEY}, as CloudFront's key pairs come, or PKCS#8), read once.
   *
   * @param bucket the bucket that is the distribution's origin
   * @param distribution the distribution's base URL
   * @param keyPairId the id of the public key CloudFront verifies signatures with
   * @param privateKeyPem the private key's PEM file
   * @return the signer
   * @throws IllegalArgumentException if the file cannot be read as a private key
   */
  public static CloudFrontSignedUrls fromPemFile(
      String bucket, URI distribution, String keyPairId, Path privateKeyPem) {
    PrivateKey key;
    try {
      // The SDK's own PEM reading, through the request that would otherwise read it per URL.
      key = CannedSignerRequest.builder().privateKey(privateKeyPem).build().privateKey();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "cannot read a private key from " + privateKeyPem + ": " + e.getMessage(), e);
    }
    return new CloudFrontSignedUrls(bucket, distribution, keyPairId, key);
  }

  CloudFrontSignedUrls(
      String bucket, URI distribution, String keyPairId, PrivateKey privateKey, Clock clock) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.distribution = Objects.requireNonNull(distribution, "distribution");
    if (!"https".equals(distribution.getScheme()) && !"http".equals(distribution.getScheme())) {
      throw new IllegalArgumentException("distribution must be an http(s) URL: " + distribution);
    }
    this.keyPairId = Objects.requireNonNull(keyPairId, "keyPairId");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.clock = clock;
  }

  @Override
  public Optional<URI> sign(S3Location location, Duration lifetime, ResponseOverrides overrides) {
    if (!location.bucket().equals(bucket) || location.versionId() != null) {
      return Optional.empty();
    }
    String base = distribution.toString();
    String resource =
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + "/"
            + encodePath(location.key());
    var signed =
        utilities.getSignedUrlWithCannedPolicy(
            CannedSignerRequest.builder()
                .resourceUrl(resource)
                .privateKey(privateKey)
                .keyPairId(keyPairId)
                .expirationDate(clock.instant().plus(lifetime))
                .build());
    return Optional.of(URI.create(signed.url()));
  }

  /** Percent-encodes a key as a URL path: every byte but unreserved characters and {@code /}. */
  static String encodePath(String key) {
    StringBuilder path = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        path.append(c);
      } else {
        path.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return path.toString();
  }
}
