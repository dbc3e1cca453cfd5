package dev.s3redirect.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.store.LeanS3Responses.ErrorBody;
import dev.s3redirect.store.ObjectStoreException.Failure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LeanS3ResponsesTest {

  private static Function<String, String> headers(String... namesAndValues) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map::get;
  }

  @Nested
  class MetadataIsFilledAsTheSdkStoreFillsIt {

    @Test
    void everyFieldComesFromItsHeader() {
      ObjectMetadata metadata =
          LeanS3Responses.metadata(
              1234,
              headers(
                  "etag", "\"abc\"",
                  "last-modified", "Fri, 01 Mar 2024 10:15:30 GMT",
                  "content-type", "text/plain; charset=utf-8",
                  "content-encoding", "gzip",
                  "content-disposition", "attachment; filename=\"a.txt\"",
                  "content-language", "fr",
                  "cache-control", "max-age=60",
                  "expires", "Sat, 02 Mar 2024 10:15:30 GMT"));

      assertThat(metadata)
          .isEqualTo(
              new ObjectMetadata(
                  1234,
                  "\"abc\"",
                  Instant.parse("2024-03-01T10:15:30Z"),
                  "text/plain; charset=utf-8",
                  "gzip",
                  "attachment; filename=\"a.txt\"",
                  "fr",
                  "max-age=60",
                  "Sat, 02 Mar 2024 10:15:30 GMT"));
    }

    @Test
    void absentHeadersAreNull() {
      assertThat(LeanS3Responses.metadata(0, headers()))
          .isEqualTo(new ObjectMetadata(0, null, null, null, null, null, null, null, null));
    }

    @Test
    void expiresIsKeptRawEvenWhenItIsNoDate() {
      assertThat(LeanS3Responses.metadata(0, headers("Expires", "0")).expires()).isEqualTo("0");
    }

    @Test
    void aLastModifiedThatIsNoDateIsLeftOut() {
      assertThat(LeanS3Responses.metadata(0, headers("Last-Modified", "yesterday")).lastModified())
          .isNull();
    }

    @ParameterizedTest(name = "Content-Length ''{0}'' -> {1}")
    @CsvSource(
        delimiter = '|',
        value = {"0 | 0", "42 | 42", " 42  | 42", "-1 | -1", "abc | -1", "1e3 | -1"})
    void theContentLengthMustBeANonNegativeNumber(String value, long expected) {
      assertThat(LeanS3Responses.contentLength(headers("Content-Length", value)))
          .isEqualTo(expected);
    }

    @Test
    void aMissingContentLengthIsMinusOne() {
      assertThat(LeanS3Responses.contentLength(headers())).isEqualTo(-1);
    }

    @Test
    void aNotModifiedAnswerKeepsTheValidatorsItCarried() {
      assertThat(
              LeanS3Responses.notModified(
                  headers(
                      "ETag", "\"abc\"",
                      "Last-Modified", "Fri, 01 Mar 2024 10:15:30 GMT",
                      "Cache-Control", "no-cache",
                      "Expires", "-1")))
          .isEqualTo(
              new GetResult.NotModified(
                  "\"abc\"", Instant.parse("2024-03-01T10:15:30Z"), "no-cache", "-1"));
      assertThat(LeanS3Responses.notModified(headers("ETag", "\"abc\"")))
          .isEqualTo(new GetResult.NotModified("\"abc\"", null, null, null));
    }
  }

  @Nested
  class ErrorBodies {

    private static final String SIGNATURE_MISMATCH =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Error><Code>SignatureDoesNotMatch</Code>"
            + "<Message>The request signature we calculated does not match the signature you"
            + " provided.</Message>"
            + "<AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId>"
            + "<StringToSign>AWS4-HMAC-SHA256\n20240301T101530Z</StringToSign>"
            + "<SignatureProvided>0123456789abcdef</SignatureProvided>"
            + "<RequestId>4442587FB7D0A2F9</RequestId><HostId>host-id</HostId></Error>";

    @Test
    void codeMessageAndRequestIdAreRead() {
      assertThat(ErrorBody.parse(SIGNATURE_MISMATCH))
          .isEqualTo(
              new ErrorBody(
                  "SignatureDoesNotMatch",
                  "The request signature we calculated does not match the signature you provided.",
                  "4442587FB7D0A2F9"));
    }

    @Test
    void entitiesAreDecoded() {
      assertThat(ErrorBody.parse("<Error><Message>a &lt;b&gt; &amp; &quot;c&quot;</Message>"))
          .isEqualTo(new ErrorBody(null, "a <b> & \"c\"", null));
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {"''", "not xml", "<Error><Code>Trunc", "<Code></Code>", "<html>502</html>"})
    void anythingElseYieldsNothing(String body) {
      assertThat(ErrorBody.parse(body)).isEqualTo(new ErrorBody(null, null, null));
    }

    @Test
    void theLogLineNamesTheErrorButNeverTheSignatureOrTheKey() {
      AwsServiceException e =
          LeanS3Responses.serviceException(
              403, headers("x-amz-request-id", "R1", "x-amz-id-2", "X2"), SIGNATURE_MISMATCH);

      String line = LeanS3Responses.describe(e);

      assertThat(line)
          .isEqualTo(
              "HTTP 403, S3 error SignatureDoesNotMatch (The request signature we calculated does"
                  + " not match the signature you provided.), request id R1, extended request id"
                  + " X2");
      assertThat(line + e.getMessage() + e.toString())
          .doesNotContain("AKIDEXAMPLE")
          .doesNotContain("0123456789abcdef")
          .doesNotContain("StringToSign");
    }

    @Test
    void theRequestIdComesFromTheBodyWhenTheHeadersHaveNone() {
      AwsServiceException e = LeanS3Responses.serviceException(403, headers(), SIGNATURE_MISMATCH);

      assertThat(e.requestId()).isEqualTo("4442587FB7D0A2F9");
    }

    @Test
    void aHeadErrorWithoutBodyIsDescribedByItsStatus() {
      AwsServiceException e = LeanS3Responses.serviceException(404, headers(), "");

      assertThat(LeanS3Responses.describe(e)).isEqualTo("HTTP 404");
    }

    @Test
    void missingKeysAndBucketsBecomeTheSdksExceptionTypes() {
      assertThat(
              LeanS3Responses.serviceException(
                  404, headers(), "<Error><Code>NoSuchKey</Code></Error>"))
          .isInstanceOf(NoSuchKeyException.class);
      assertThat(
              LeanS3Responses.serviceException(
                  404, headers(), "<Error><Code>NoSuchBucket</Code></Error>"))
          .isInstanceOf(NoSuchBucketException.class);
      assertThat(LeanS3Responses.serviceException(500, headers(), ""))
          .isExactlyInstanceOf(S3Exception.class);
    }
  }

  @Nested
  class FailuresAreClassifiedAsTheSdkStoreClassifiesThem {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
      "404, NoSuchKey, NOT_FOUND",
      "404, NoSuchBucket, NOT_FOUND",
      "404, , NOT_FOUND",
      "403, AccessDenied, ACCESS_DENIED",
      "403, SignatureDoesNotMatch, ACCESS_DENIED",
      "403, , ACCESS_DENIED",
      "503, SlowDown, THROTTLED",
      "503, , THROTTLED",
      "429, , THROTTLED",
      "400, SlowDown, THROTTLED",
      "400, RequestLimitExceeded, THROTTLED",
      "500, InternalError, UNAVAILABLE",
      "502, , UNAVAILABLE",
      "504, , UNAVAILABLE",
      "400, InvalidArgument, UNAVAILABLE",
      "301, PermanentRedirect, UNAVAILABLE",
    })
    void serviceAnswers(int status, String code, Failure expected) {
      String body = code == null ? "" : "<Error><Code>" + code + "</Code></Error>";

      AwsServiceException lean = LeanS3Responses.serviceException(status, headers(), body);
      S3Exception sdk =
          (S3Exception)
              S3Exception.builder()
                  .statusCode(status)
                  .awsErrorDetails(
                      software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                          .errorCode(code)
                          .build())
                  .build();

      assertThat(S3ObjectStore.failureOf(lean)).isEqualTo(expected);
      assertThat(S3ObjectStore.translate(sdk, "GetObject", "").failure()).isEqualTo(expected);
    }

    static Stream<Arguments> transportFailures() {
      return Stream.of(
          Arguments.of(new SocketTimeoutException("Read timed out"), Failure.TIMEOUT),
          Arguments.of(new ConnectTimeoutException("connect timed out"), Failure.TIMEOUT),
          Arguments.of(new ConnectionRequestTimeoutException("pool"), Failure.TIMEOUT),
          Arguments.of(new ConnectException("Connection refused"), Failure.UNAVAILABLE),
          Arguments.of(
              new HttpHostConnectException("Connect to http://127.0.0.1:1 failed"),
              Failure.UNAVAILABLE),
          Arguments.of(new SocketException("Connection reset"), Failure.UNAVAILABLE),
          Arguments.of(new NoHttpResponseException("no response"), Failure.UNAVAILABLE),
          Arguments.of(new IOException("other"), Failure.UNAVAILABLE));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("transportFailures")
    void transportFailures(IOException failure, Failure expected) {
      assertThat(S3ObjectStore.failureOf(failure)).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0} x-amz-bucket-region={1} signed for us-east-1 -> {2}")
  @CsvSource({
    "301, eu-west-1, true",
    "307, eu-west-1, true",
    "400, eu-west-1, true",
    "301, us-east-1, false",
    "301, , false",
    "403, eu-west-1, false",
    "200, eu-west-1, false",
  })
  void anAnswerFromAnotherRegionIsRecognised(int status, String region, boolean expected) {
    Function<String, String> headers =
        region == null ? headers() : headers("X-Amz-Bucket-Region", region);

    assertThat(LeanS3Responses.otherRegion(status, headers, "us-east-1")).isEqualTo(expected);
  }
}
