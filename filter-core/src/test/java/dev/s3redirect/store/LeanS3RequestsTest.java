package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.s3redirect.S3Location;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

class LeanS3RequestsTest {

  private static final LeanS3Endpoints.Direct PATH_STYLE =
      new LeanS3Endpoints.Direct(
          URI.create("http://127.0.0.1:9000"), "/bucket", "eu-west-1", "s3", false, Map.of());

  private static final AwsCredentialsProvider KEYS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

  private static SdkHttpRequest get(ObjectRequest request) {
    return LeanS3Requests.unsigned(PATH_STYLE, SdkHttpMethod.GET, request, ReadOptions.NONE);
  }

  @Nested
  class KeysAreEncodedAsTheSdkEncodesThem {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "plain.txt | /bucket/plain.txt",
          "a b | /bucket/a%20b",
          "a+b | /bucket/a%2Bb",
          "100% | /bucket/100%25",
          "what? | /bucket/what%3F",
          "a#b | /bucket/a%23b",
          "semi;colon=&amp | /bucket/semi%3Bcolon%3D%26amp",
          "*star~tilde-_. | /bucket/%2Astar~tilde-_.",
          "été/ü.txt | /bucket/%C3%A9t%C3%A9/%C3%BC.txt",
          "日本 | /bucket/%E6%97%A5%E6%9C%AC",
          "emoji 😀 | /bucket/emoji%20%F0%9F%98%80",
          "dir/sub/file | /bucket/dir/sub/file",
          "a//b | /bucket/a//b",
          "/leading | /bucket//leading",
          "trailing/ | /bucket/trailing/",
          "%2F | /bucket/%252F",
        })
    void theKeyFollowsTheBasePath(String key, String path) {
      SdkHttpRequest request = get(ObjectRequest.of(S3Location.of("bucket", key)));

      assertThat(request.encodedPath()).isEqualTo(path);
      assertThat(LeanS3Requests.target(request)).isEqualTo(path);
    }

    @Test
    void virtualHostedEndpointsHaveNoBasePath() {
      assertThat(LeanS3Requests.encodedPath("", "a b")).isEqualTo("/a%20b");
    }

    @Test
    void theVersionIsAnEncodedQueryParameter() {
      SdkHttpRequest request =
          get(ObjectRequest.of(S3Location.of("bucket", "k").withVersionId("3/L4kq+tZ=")));

      assertThat(LeanS3Requests.target(request)).isEqualTo("/bucket/k?versionId=3%2FL4kq%2BtZ%3D");
    }
  }

  @Nested
  class TheReadsConditionsAreForwarded {

    @Test
    void getCarriesRangeAndConditionsAsGiven() {
      ObjectRequest read =
          ObjectRequest.of(S3Location.of("bucket", "k"))
              .withRange("bytes=0-499")
              .withIfMatch("\"abc\"")
              .withIfNoneMatch("*")
              .withIfModifiedSince(Instant.parse("2024-03-01T10:15:30Z"));

      SdkHttpRequest request = get(read);

      assertThat(request.method()).isEqualTo(SdkHttpMethod.GET);
      assertThat(request.firstMatchingHeader("Range")).contains("bytes=0-499");
      assertThat(request.firstMatchingHeader("If-Match")).contains("\"abc\"");
      assertThat(request.firstMatchingHeader("If-None-Match")).contains("*");
      assertThat(request.firstMatchingHeader("If-Modified-Since"))
          .contains("Fri, 01 Mar 2024 10:15:30 GMT");
    }

    @Test
    void anUnconditionalReadCarriesNoConditionsAndAsksForTheStoredChecksums() {
      SdkHttpRequest request = get(ObjectRequest.of(S3Location.of("bucket", "k")));

      assertThat(request.headers())
          .isEqualTo(Map.of("x-amz-checksum-mode", java.util.List.of("ENABLED")));
    }

    @Test
    void aRangedReadDoesNotAskForChecksumsThatWouldNotDescribeTheObject() {
      SdkHttpRequest request =
          get(ObjectRequest.of(S3Location.of("bucket", "k")).withRange("bytes=0-1"));

      assertThat(request.headers()).containsOnlyKeys("Range");
    }

    @Test
    void headIsAlwaysUnconditional() {
      ObjectRequest read =
          ObjectRequest.of(S3Location.of("bucket", "k")).withRange("bytes=0-1").withIfMatch("*");

      SdkHttpRequest request =
          LeanS3Requests.unsigned(PATH_STYLE, SdkHttpMethod.HEAD, read, ReadOptions.NONE);

      assertThat(request.method()).isEqualTo(SdkHttpMethod.HEAD);
      assertThat(request.headers())
          .isEqualTo(Map.of("x-amz-checksum-mode", java.util.List.of("ENABLED")));
    }

    @Test
    void headersTheEndpointRulesRequireAreAdded() {
      LeanS3Endpoints.Direct route =
          new LeanS3Endpoints.Direct(
              URI.create("https://example.com"),
              "",
              "us-east-1",
              "s3",
              false,
              Map.of("x-amz-route", java.util.List.of("r1")));

      SdkHttpRequest request =
          LeanS3Requests.unsigned(
              route,
              SdkHttpMethod.GET,
              ObjectRequest.of(S3Location.of("b", "k")),
              ReadOptions.NONE);

      assertThat(request.firstMatchingHeader("x-amz-route")).contains("r1");
      assertThat(request.protocol()).isEqualTo("https");
      assertThat(request.port()).isEqualTo(443);
    }
  }

  @Nested
  class SigningUsesTheSdkSigner {

    @Test
    void requestsAreSignedWithSigV4ForTheRoutesRegionAndAnUnsignedPayload() {
      SdkHttpRequest signed =
          new LeanS3Requests(KEYS)
              .sign(
                  PATH_STYLE,
                  get(ObjectRequest.of(S3Location.of("bucket", "k")).withRange("bytes=0-1")));

      String authorization = signed.firstMatchingHeader("Authorization").orElseThrow();
      assertThat(authorization)
          .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
          .contains("/eu-west-1/s3/aws4_request")
          .contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date")
          .doesNotContain("secret");
      assertThat(signed.firstMatchingHeader("x-amz-content-sha256")).contains("UNSIGNED-PAYLOAD");
      assertThat(signed.firstMatchingHeader("X-Amz-Date")).isPresent();
      assertThat(signed.firstMatchingHeader("Host")).contains("127.0.0.1:9000");
      assertThat(signed.encodedPath()).isEqualTo("/bucket/k");
    }

    @Test
    void sessionCredentialsSendTheirToken() {
      AwsCredentialsProvider session =
          StaticCredentialsProvider.create(AwsSessionCredentials.create("AK", "SK", "TOKEN"));

      SdkHttpRequest signed =
          new LeanS3Requests(session)
              .sign(PATH_STYLE, get(ObjectRequest.of(S3Location.of("bucket", "k"))));

      assertThat(signed.firstMatchingHeader("X-Amz-Security-Token")).contains("TOKEN");
    }

    @Test
    void anonymousCredentialsSendTheRequestUnsigned() {
      SdkHttpRequest unsigned = get(ObjectRequest.of(S3Location.of("bucket", "k")));

      SdkHttpRequest sent =
          new LeanS3Requests(AnonymousCredentialsProvider.create()).sign(PATH_STYLE, unsigned);

      assertThat(sent).isSameAs(unsigned);
      assertThat(sent.firstMatchingHeader("Authorization")).isEmpty();
    }

    @Test
    void credentialsAreAskedForOnEveryRequest() {
      AtomicInteger asked = new AtomicInteger();
      AwsCredentialsProvider counting =
          () -> {
            asked.incrementAndGet();
            return AwsBasicCredentials.create("AK", "SK");
          };
      LeanS3Requests requests = new LeanS3Requests(counting);
      SdkHttpRequest unsigned = get(ObjectRequest.of(S3Location.of("bucket", "k")));

      requests.sign(PATH_STYLE, unsigned);
      requests.sign(PATH_STYLE, unsigned);

      assertThat(asked.get()).isEqualTo(2);
    }

    @Test
    void identityProvidersThatAreNotCredentialsProvidersWorkToo() {
      IdentityProvider<AwsCredentialsIdentity> identities = new FixedIdentities();

      SdkHttpRequest signed =
          new LeanS3Requests(identities)
              .sign(PATH_STYLE, get(ObjectRequest.of(S3Location.of("bucket", "k"))));

      assertThat(signed.firstMatchingHeader("Authorization").orElseThrow())
          .contains("Credential=ID/");
    }

    @Test
    void aProviderThatFindsNoCredentialsFailsWithItsOwnException() {
      AwsCredentialsProvider none =
          () -> {
            throw SdkClientException.create("Unable to load credentials");
          };

      assertThatThrownBy(
              () ->
                  new LeanS3Requests(none)
                      .sign(PATH_STYLE, get(ObjectRequest.of(S3Location.of("bucket", "k")))))
          .isInstanceOf(SdkClientException.class);
    }
  }

  /** An identity provider that is not an {@link AwsCredentialsProvider}. */
  private static final class FixedIdentities implements IdentityProvider<AwsCredentialsIdentity> {
    @Override
    public Class<AwsCredentialsIdentity> identityType() {
      return AwsCredentialsIdentity.class;
    }

    @Override
    public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(
        ResolveIdentityRequest request) {
      return CompletableFuture.completedFuture(AwsCredentialsIdentity.create("ID", "SECRET"));
    }
  }
}
