package dev.s3redirect.sample;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Creates the demo bucket and its objects at startup, unless they are there already. */
@Component
class DemoObjects implements ApplicationRunner {
  static final String HELLO_KEY = "public/hello.txt";
  static final String HELLO_TEXT = "Hello from S3, streamed by s3-redirect.\n";

  private final S3Client s3;
  private final String bucket;

  DemoObjects(S3Client s3, SampleProperties properties) {
    this.s3 = s3;
    this.bucket = properties.bucket();
  }

  @Override
  public void run(ApplicationArguments args) {
    if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    s3.putObject(
        b -> b.bucket(bucket).key(HELLO_KEY).contentType("text/plain; charset=utf-8"),
        RequestBody.fromString(HELLO_TEXT, StandardCharsets.UTF_8));
  }
}
