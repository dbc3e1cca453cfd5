package dev.s3redirect.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.embedded.EmbeddedS3Server;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the auto-configuration says and checks at startup, against a real S3-protocol server: one
 * INFO line with the allow-list, the endpoint, the region and the client; with {@code
 * s3-redirect.s3.verify-on-startup}, a HeadBucket per allowed bucket that stops the application
 * with S3's answer when it fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class S3RedirectStartupIT {
  static final String BUCKET = "startup";

  static EmbeddedS3Server s3;

  @BeforeAll
  static void startS3() {
    s3 = EmbeddedS3Server.start();
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
    }
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  private WebApplicationContextRunner runner(String... properties) {
    return new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
        .withPropertyValues(
            "s3-redirect.s3.endpoint=" + s3.endpoint(),
            "s3-redirect.s3.path-style=true",
            "s3-redirect.s3.checksums=when-required",
            "s3-redirect.s3.region=us-east-1")
        .withPropertyValues(properties);
  }

  private String[] credentials() {
    return new String[] {
      "s3-redirect.s3.access-key=" + s3.accessKey(), "s3-redirect.s3.secret-key=" + s3.secretKey()
    };
  }

  @Test
  void saysInOneInfoLineWhatIsServedFromWhereThroughWhichClient() {
    try (CapturedLog log = CapturedLog.of(S3RedirectStartup.class)) {
      runner(credentials())
          .withPropertyValues(
              "s3-redirect.allow=" + BUCKET + "/public/," + BUCKET + "/media/",
              "s3-redirect.s3.verify-on-startup=true")
          .run(context -> assertThat(context).hasNotFailed());

      assertThat(log.at(Level.INFO))
          .singleElement()
          .isEqualTo(
              "s3-redirect serves X-S3-Redirect from [startup/public/, startup/media/] at "
                  + s3.endpoint()
                  + " (region us-east-1) through the S3 client it built from s3-redirect.s3.*;"
                  + " every allowed bucket answered HeadBucket");
      assertThat(log.all()).noneMatch(line -> line.contains(s3.secretKey()));
    }
  }

  @Test
  void saysWhenItReadsThroughTheApplicationsClient() {
    try (CapturedLog log = CapturedLog.of(S3RedirectStartup.class)) {
      runner("s3-redirect.allow=" + BUCKET)
          .withBean(S3Client.class, () -> s3.clientBuilder().build())
          .run(context -> assertThat(context).hasNotFailed());

      assertThat(log.at(Level.INFO))
          .singleElement()
          .asString()
          .endsWith("through the application's S3Client bean");
    }
  }

  @Test
  void asksS3NothingAtStartupUnlessToldTo() {
    runner("s3-redirect.allow=" + BUCKET, "s3-redirect.s3.endpoint=http://127.0.0.1:9")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void stopsTheApplicationWhenS3RefusesTheCredentials() {
    runner(
            "s3-redirect.allow=" + BUCKET,
            "s3-redirect.s3.verify-on-startup=true",
            "s3-redirect.s3.access-key=" + s3.accessKey(),
            "s3-redirect.s3.secret-key=not-the-secret")
        .run(
            context -> {
              assertThat(rootCause(context.getStartupFailure()))
                  .isInstanceOf(BucketCheckFailedException.class)
                  .hasMessageStartingWith(
                      "s3-redirect.s3.verify-on-startup: HeadBucket on allowed bucket 'startup' at "
                          + s3.endpoint()
                          + " (region us-east-1) failed: S3 answered 403 Forbidden")
                  .hasMessageNotContaining("not-the-secret");
              var failure = (BucketCheckFailedException) rootCause(context.getStartupFailure());
              assertThat(failure.action())
                  .startsWith(
                      "Check s3-redirect.s3.access-key and s3-redirect.s3.secret-key, or the AWS"
                          + " SDK's default credentials chain");
            });
  }

  @Test
  void stopsTheApplicationWhenAnAllowedBucketIsMissing() {
    runner(credentials())
        .withPropertyValues(
            "s3-redirect.allow=" + BUCKET + ",no-such-bucket/x/",
            "s3-redirect.s3.verify-on-startup=true")
        .run(
            context ->
                assertThat(rootCause(context.getStartupFailure()))
                    .hasMessageContaining("bucket 'no-such-bucket'")
                    .hasMessageContaining("S3 answered 404 Not Found"));
  }

  @Test
  void stopsTheApplicationWhenS3CannotBeReached() {
    runner(credentials())
        .withPropertyValues(
            "s3-redirect.allow=" + BUCKET,
            "s3-redirect.s3.verify-on-startup=true",
            "s3-redirect.s3.endpoint=http://127.0.0.1:9")
        .run(
            context ->
                assertThat(rootCause(context.getStartupFailure()))
                    .hasMessageContaining("at http://127.0.0.1:9 (region us-east-1)")
                    .hasMessageContaining("failed: no answer from S3 ("));
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Test
  void springBootReportsTheFailureWithWhatToDo(CapturedOutput output) {
    List<String> properties =
        List.of(
            "server.port=0",
            "server.address=127.0.0.1",
            "s3-redirect.allow=" + BUCKET,
            "s3-redirect.s3.verify-on-startup=true",
            "s3-redirect.s3.endpoint=" + s3.endpoint(),
            "s3-redirect.s3.path-style=true",
            "s3-redirect.s3.region=us-east-1",
            "s3-redirect.s3.access-key=" + s3.accessKey(),
            "s3-redirect.s3.secret-key=not-the-secret");

    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.SERVLET)
                    .properties(properties.toArray(String[]::new))
                    .run()
                    .close())
        .satisfies(
            failure ->
                assertThat(rootCause(failure)).isInstanceOf(BucketCheckFailedException.class));
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("HeadBucket on allowed bucket 'startup'")
        .contains("Check s3-redirect.s3.access-key and s3-redirect.s3.secret-key")
        .doesNotContain("not-the-secret");
  }

  private static Throwable rootCause(Throwable failure) {
    assertThat(failure).as("the startup failure").isNotNull();
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
