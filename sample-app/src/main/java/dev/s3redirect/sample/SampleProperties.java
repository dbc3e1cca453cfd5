package dev.s3redirect.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's settings, under {@code sample}.
 *
 * @param bucket the bucket the demo objects live in
 * @param s3 the embedded S3 server
 */
@ConfigurationProperties("sample")
public record SampleProperties(String bucket, EmbeddedS3 s3) {

  /**
   * The S3 server started inside the application.
   *
   * @param embedded whether to start it; without it, define an {@code S3Client} bean for real S3
   * @param port its port on 127.0.0.1
   * @param accessKey the access key id it accepts
   * @param secretKey the secret key it accepts
   */
  public record EmbeddedS3(boolean embedded, int port, String accessKey, String secretKey) {}
}
