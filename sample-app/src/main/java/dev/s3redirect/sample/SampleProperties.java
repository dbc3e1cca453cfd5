package dev.s3redirect.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample's settings, under {@code sample}.
 *
 * @param bucket the bucket the demo objects live in
 * @param s3 the embedded S3 server
 * @param signingKey the secret that signs links to private objects; empty for a random one per
 *     start
 * @param linkLifetime how long a signed link on the page works
 */
@ConfigurationProperties("sample")
public record SampleProperties(
    String bucket, EmbeddedS3 s3, String signingKey, @DefaultValue("10m") Duration linkLifetime) {

  /**
   * The S3 server started inside the application.
   *
   * @param embedded whether to start it; without it, the auto-configuration's client (from {@code
   *     s3-redirect.s3.*}) or an {@code S3Client} bean of your own reaches real S3
   * @param port its port on 127.0.0.1
   * @param accessKey the access key id it accepts
   * @param secretKey the secret key it accepts
   */
  public record EmbeddedS3(boolean embedded, int port, String accessKey, String secretKey) {}
}
