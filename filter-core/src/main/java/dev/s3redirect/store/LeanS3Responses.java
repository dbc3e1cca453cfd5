package dev.s3redirect.store;

import dev.s3redirect.internal.http.HttpDates;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads S3's answers for the {@link LeanS3ObjectStore}, as the SDK's S3 unmarshallers would: object
 * metadata from the response headers, the validators of a 304, and S3's error answers as the SDK's
 * {@link S3Exception}s, so that retries and failure classification are the SDK store's. Header
 * lookups take a name and return the first value, or {@code null}.
 */
final class LeanS3Responses {

  /**
   * The algorithms whose stored checksums may become a digest field: those with a key in the HTTP
   * digest registry. The others S3 has (CRC32, CRC64NVME, xxHash) are not read.
   */
  private static final List<String> CHECKSUM_ALGORITHMS =
      List.of("sha256", "sha512", "crc32c", "sha1", "md5");

  /** The most bytes of an error body read; S3's are a few hundred. */
  static final int ERROR_BODY_LIMIT = 4096;

  private LeanS3Responses() {}

  /**
   * Returns the {@code Content-Length}, or -1 when it is missing or not a non-negative number.
   *
   * @param headers the response headers
   * @return the length, or -1
   */
  static long contentLength(Function<String, String> headers) {
    String value = headers.apply("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.strip());
      return length < 0 ? -1 : length;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Returns an object's metadata, filled exactly as {@link S3ObjectStore} fills it.
   *
   * @param contentLength the whole object's length
   * @param headers the response headers
   * @return the metadata
   */
  static ObjectMetadata metadata(long contentLength, Function<String, String> headers) {
    Map<String, String> checksums = new LinkedHashMap<>();
    for (String algorithm : CHECKSUM_ALGORITHMS) {
      String value = headers.apply("x-amz-checksum-" + algorithm);
      if (value != null) {
        checksums.put(algorithm, value);
      }
    }
    return new ObjectMetadata(
        contentLength,
        headers.apply("ETag"),
        lastModified(headers),
        headers.apply("Content-Type"),
        headers.apply("Content-Encoding"),
        headers.apply("Content-Disposition"),
        headers.apply("Content-Language"),
        headers.apply("Cache-Control"),
        headers.apply("Expires"),
        checksums,
        headers.apply("x-amz-checksum-type"));
  }

  /**
   * Returns the validators a 304 carried; each {@code null} where it carried none.
   *
   * @param headers the response headers
   * @return the answer
   */
  static GetResult.NotModified notModified(Function<String, String> headers) {
    return new GetResult.NotModified(
        headers.apply("ETag"),
        lastModified(headers),
        headers.apply("Cache-Control"),
        headers.apply("Expires"));
  }

  private static Instant lastModified(Function<String, String> headers) {
    return HttpDates.parse(headers.apply("Last-Modified")).orElse(null);
  }

  /**
   * Returns whether an answer says the bucket lives in another region than the one signed for: a
   * redirect, or a 400 for the wrong region, naming the bucket's region.
   *
   * @param status the status code
   * @param headers the response headers
   * @param signingRegion the region the request was signed for
   * @return whether S3 sent the request elsewhere
   */
  static boolean otherRegion(int status, Function<String, String> headers, String signingRegion) {
    if (status != 301 && status != 307 && status != 400) {
      return false;
    }
    String bucketRegion = headers.apply("x-amz-bucket-region");
    return bucketRegion != null && !bucketRegion.isBlank() && !bucketRegion.equals(signingRegion);
  }

  /**
   * Returns S3's error answer as the exception the SDK's unmarshaller would raise for it; the
   * request ids come from the headers, else from the body.
   *
   * @param status the status code
   * @param headers the response headers
   * @param body the start of the error body, possibly empty (HEAD answers have none)
   * @return the exception, not thrown
   */
  static AwsServiceException serviceException(
      int status, Function<String, String> headers, String body) {
    ErrorBody error = ErrorBody.parse(body);
    String requestId = headers.apply("x-amz-request-id");
    if (requestId == null) {
      requestId = error.requestId();
    }
    String message = error.message() != null ? error.message() : "HTTP " + status;
    AwsErrorDetails details =
        AwsErrorDetails.builder()
            .errorCode(error.code())
            .errorMessage(error.message())
            .serviceName("S3")
            .build();
    S3Exception.Builder builder =
        "NoSuchKey".equals(error.code())
            ? NoSuchKeyException.builder()
            : "NoSuchBucket".equals(error.code())
                ? NoSuchBucketException.builder()
                : S3Exception.builder();
    return (AwsServiceException)
        builder
            .statusCode(status)
            .requestId(requestId)
            .extendedRequestId(headers.apply("x-amz-id-2"))
            .awsErrorDetails(details)
            .message(message)
            // A value describing S3's answer: where this code built it tells nothing.
            .writableStackTrace(false)
            .build();
  }

  /**
   * Describes a failure for a log line: status, S3's error code and message and the request id for
   * an S3 answer; the exception otherwise. Never signatures or credentials: S3 error messages name
   * neither, and the rest of the error body (which may echo the string to sign) is dropped.
   *
   * @param failure the failure
   * @return the description
   */
  static String describe(Throwable failure) {
    if (failure instanceof AwsServiceException service) {
      StringBuilder out = new StringBuilder("HTTP ").append(service.statusCode());
      AwsErrorDetails details = service.awsErrorDetails();
      if (details != null && details.errorCode() != null) {
        out.append(", S3 error ").append(details.errorCode());
      }
      if (details != null && details.errorMessage() != null) {
        out.append(" (").append(details.errorMessage()).append(')');
      }
      if (service.requestId() != null) {
        out.append(", request id ").append(service.requestId());
      }
      if (service.extendedRequestId() != null) {
        out.append(", extended request id ").append(service.extendedRequestId());
      }
      return out.toString();
    }
    return failure.toString();
  }

  /**
   * The parts of an S3 error body ({@code <Error><Code>…</Code><Message>…</Message>
   * <RequestId>…</RequestId>…</Error>}) worth a log line; each {@code null} when absent.
   *
   * @param code the error code, such as {@code NoSuchKey}
   * @param message the message
   * @param requestId the request id
   */
  record ErrorBody(String code, String message, String requestId) {

    /** Reads the first of each element; never throws, whatever the text. */
    static ErrorBody parse(String xml) {
      if (xml == null || xml.isEmpty()) {
        return new ErrorBody(null, null, null);
      }
      return new ErrorBody(
          element(xml, "Code"), element(xml, "Message"), element(xml, "RequestId"));
    }

    private static String element(String xml, String name) {
      String open = "<" + name + ">";
      int start = xml.indexOf(open);
      if (start < 0) {
        return null;
      }
      start += open.length();
      int end = xml.indexOf("</" + name + ">", start);
      if (end < 0) {
        return null;
      }
      String value = unescape(xml.substring(start, end).strip());
      return value.isEmpty() ? null : value;
    }

    private static String unescape(String text) {
      if (text.indexOf('&') < 0) {
        return text;
      }
      return text.replace("&lt;", "<")
          .replace("&gt;", ">")
          .replace("&quot;", "\"")
          .replace("&apos;", "'")
          .replace("&amp;", "&");
    }
  }
}
