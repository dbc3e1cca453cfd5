package dev.s3redirect.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** A real S3-protocol server the integration suite runs against. */
public interface S3Backend extends AutoCloseable {

  /** Where clients send requests. */
  URI endpoint();

  /** The access key id the server accepts. */
  String accessKey();

  /** The secret key the server accepts. */
  String secretKey();

  /**
   * Whether keys with empty path segments ({@code a//b}, {@code /a}) can be stored. S3 can; S3Proxy
   * 4.1 rejects them with a signature mismatch.
   */
  default boolean storesKeysWithEmptySegments() {
    return true;
  }

  /**
   * Whether the server's 304 to a conditional GetObject carries the entity-tag, as S3's does; the
   * filter needs a HeadObject more when it does not (Ceph RGW).
   */
  default boolean notModifiedCarriesEntityTag() {
    return true;
  }

  /** A client builder for {@code endpoint}, path-style, checksums only where required. */
  default S3ClientBuilder clientBuilder(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }

  @Override
  void close();
}
