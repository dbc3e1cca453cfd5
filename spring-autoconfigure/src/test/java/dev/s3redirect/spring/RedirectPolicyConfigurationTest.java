package dev.s3redirect.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.CloudFrontSignedUrls;
import dev.s3redirect.RedirectPolicy;
import dev.s3redirect.S3Location;
import dev.s3redirect.S3PresignedUrls;
import dev.s3redirect.UrlSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** {@code s3-redirect.redirect.*}: which policy the filter gets, and what fails at startup. */
class RedirectPolicyConfigurationTest {

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(S3RedirectAutoConfiguration.class))
          .withPropertyValues(
              "s3-redirect.allow=media",
              "s3-redirect.s3.region=eu-west-1",
              "s3-redirect.s3.access-key=AKIDEXAMPLE",
              "s3-redirect.s3.secret-key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

  private static Optional<String> signed(RedirectPolicy policy, String bucket, String key) {
    return policy
        .signer()
        .sign(S3Location.of(bucket, key), policy.lifetime(), UrlSigner.ResponseOverrides.NONE)
        .map(Object::toString);
  }

  @Test
  void neverIsTheDefaultAndBuildsNothing() {
    web.run(context -> assertThat(context.getBean(RedirectPolicies.class).policy()).isNull());
  }

  @Test
  void presignedUrlsAreSignedLikeTheClientAndRoutesAreStreamed() {
    web.withPropertyValues(
            "s3-redirect.redirect.rule=above-size",
            "s3-redirect.redirect.minimum-size=10MB",
            "s3-redirect.redirect.only-without-range=true",
            "s3-redirect.redirect.lifetime=2h",
            "s3-redirect.redirect.status=307",
            "s3-redirect.buckets.archive.region=us-west-2")
        .run(
            context -> {
              RedirectPolicy policy = context.getBean(RedirectPolicies.class).policy();
              assertThat(policy.rule()).isEqualTo(RedirectPolicy.Rule.ABOVE_SIZE);
              assertThat(policy.minimumSize()).isEqualTo(10L * 1024 * 1024);
              assertThat(policy.onlyWithoutRange()).isTrue();
              assertThat(policy.lifetime()).isEqualTo(Duration.ofHours(2));
              assertThat(policy.status()).isEqualTo(307);
              assertThat(policy.signer()).isInstanceOf(S3PresignedUrls.class);
              assertThat(signed(policy, "media", "a.bin"))
                  .hasValueSatisfying(
                      url ->
                          assertThat(url)
                              .startsWith("https://media.s3.eu-west-1.amazonaws.com/a.bin?")
                              .contains("X-Amz-Credential=AKIDEXAMPLE", "X-Amz-Expires=7200"));
              assertThat(signed(policy, "archive", "a.bin")).isEmpty();
            });
  }

  @Test
  void requesterPaysBucketsAreStreamed() {
    web.withPropertyValues("s3-redirect.redirect.rule=always", "s3-redirect.s3.requester-pays=true")
        .run(
            context ->
                assertThat(signed(context.getBean(RedirectPolicies.class).policy(), "media", "a"))
                    .isEmpty());
  }

  @Test
  void cloudFrontUrlsFromAPemFile(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("cloudfront.pem");
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    Files.writeString(
        pem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    web.withPropertyValues(
            "s3-redirect.redirect.rule=always",
            "s3-redirect.redirect.cloudfront.distribution=https://d111111abcdef8.cloudfront.net",
            "s3-redirect.redirect.cloudfront.bucket=media",
            "s3-redirect.redirect.cloudfront.key-pair-id=K2JCJMDEHXQW5F",
            "s3-redirect.redirect.cloudfront.private-key=" + pem)
        .run(
            context -> {
              RedirectPolicy policy = context.getBean(RedirectPolicies.class).policy();
              assertThat(policy.signer()).isInstanceOf(CloudFrontSignedUrls.class);
              assertThat(signed(policy, "media", "films/a.mp4"))
                  .hasValueSatisfying(
                      url ->
                          assertThat(url)
                              .startsWith("https://d111111abcdef8.cloudfront.net/films/a.mp4?")
                              .contains("Key-Pair-Id=K2JCJMDEHXQW5F", "Signature="));
            });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "s3-redirect.redirect.lifetime, 8d",
    "s3-redirect.redirect.lifetime, 0s",
    "s3-redirect.redirect.status, 301",
    "s3-redirect.redirect.minimum-size, -1B",
    "s3-redirect.redirect.cloudfront.bucket, ''",
    "s3-redirect.redirect.cloudfront.private-key, /no/such/key.pem",
  })
  void invalidPropertiesFailNamingTheProperty(String property, String value) {
    web.withPropertyValues(
            "s3-redirect.redirect.rule=always",
            "s3-redirect.redirect.cloudfront.distribution="
                + (property.contains("cloudfront") ? "https://d.cloudfront.net" : ""),
            "s3-redirect.redirect.cloudfront.bucket=media",
            "s3-redirect.redirect.cloudfront.key-pair-id=K",
            "s3-redirect.redirect.cloudfront.private-key=/no/such/key.pem",
            property + "=" + value)
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .isNotNull()
                    .hasStackTraceContaining(property));
  }

  @Test
  void anApplicationsPolicyBeanIsUsedInstead() {
    web.withPropertyValues("s3-redirect.redirect.rule=always")
        .withBean(
            RedirectPolicy.class,
            () ->
                RedirectPolicy.builder((location, lifetime, overrides) -> Optional.empty()).build())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(RedirectPolicies.class);
            });
  }
}
