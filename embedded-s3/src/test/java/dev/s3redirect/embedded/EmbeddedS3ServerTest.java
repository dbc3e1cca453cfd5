package dev.s3redirect.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class EmbeddedS3ServerTest {

  @Test
  void storesAndReturnsObjectsOverSignedHttpOnLoopback() {
    try (EmbeddedS3Server server = EmbeddedS3Server.start();
        S3Client s3 = server.clientBuilder().build()) {
      assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
      s3.createBucket(b -> b.bucket("demo"));
      s3.putObject(b -> b.bucket("demo").key("dir/a b.txt"), RequestBody.fromString("hello"));

      assertThat(s3.getObjectAsBytes(b -> b.bucket("demo").key("dir/a b.txt")).asUtf8String())
          .isEqualTo("hello");
    }
  }

  @Test
  void rejectsRequestsSignedWithOtherCredentials() {
    try (EmbeddedS3Server server = EmbeddedS3Server.builder().credentials("ak", "sk").start();
        S3Client wrong =
            server
                .clientBuilder()
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("ak", "nope")))
                .build()) {
      assertThatThrownBy(() -> wrong.listBuckets())
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }
}
