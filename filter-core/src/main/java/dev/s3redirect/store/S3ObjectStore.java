package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import dev.s3redirect.internal.http.HttpDates;
import dev.s3redirect.store.ObjectStoreException.Failure;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.RequestPayer;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An {@link ObjectStore} on the AWS SDK's synchronous {@link S3Client}: one {@code GetObject} or
 * {@code HeadObject} per read. S3's 304, 412 and 416 answers, which the SDK reports as exceptions,
 * come back as {@link GetResult} values.
 *
 * <p>The client's own configuration applies (endpoint, credentials, HTTP client, retries, connect
 * and read timeouts); this store adds a per-request limit on the time until S3's response headers
 * arrive.
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client client;
  private final Duration firstByteTimeout;
  private final ReadOptions options;

  /**
   * Creates a store.
   *
   * @param client the S3 client; not closed by this store
   * @param firstByteTimeout the longest wait for S3's response headers, retries included
   */
  public S3ObjectStore(S3Client client, Duration firstByteTimeout) {
    this(client, firstByteTimeout, ReadOptions.NONE);
  }

  private S3ObjectStore(S3Client client, Duration firstByteTimeout, ReadOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.firstByteTimeout = Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
    this.options = options;
  }

  /**
   * Returns this store sending each object's customer-provided key (SSE-C) with every {@code
   * GetObject} and {@code HeadObject}.
   *
   * @param keys where the keys come from
   * @return a store on the same client
   */
  public S3ObjectStore withCustomerKeys(CustomerKeyProvider keys) {
    return new S3ObjectStore(
        client, firstByteTimeout, new ReadOptions(keys, options.requesterPays()));
  }

  /**
   * Returns this store acknowledging, on every request, that the requester pays for it ({@code
   * x-amz-request-payer: requester}), as requester-pays buckets demand of other accounts.
   *
   * @param requesterPays whether to send the acknowledgement
   * @return a store on the same client
   */
  public S3ObjectStore withRequesterPays(boolean requesterPays) {
    return new S3ObjectStore(
        client, firstByteTimeout, new ReadOptions(options.customerKeys(), requesterPays));
  }

  @Override
  public boolean hasCustomerKey(S3Location location) {
    return options.keyFor(location).isPresent();
  }

  @Override
  public ObjectMetadata head(S3Location location) throws ObjectStoreException {
    HeadObjectRequest.Builder head =
        HeadObjectRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .versionId(location.versionId())
            .checksumMode(ChecksumMode.ENABLED)
            .overrideConfiguration(o -> o.apiCallTimeout(firstByteTimeout));
    options
        .keyFor(location)
        .ifPresent(
            key ->
                head.sseCustomerAlgorithm(key.algorithm())
                    .sseCustomerKey(key.keyBase64())
                    .sseCustomerKeyMD5(key.keyMd5Base64()));
    if (options.requesterPays()) {
      head.requestPayer(RequestPayer.REQUESTER);
    }
    try {
      HeadObjectResponse response = client.headObject(head.build());
      if (response.contentLength() == null) {
        throw new ObjectStoreException(
            Failure.UNAVAILABLE,
            "HeadObject " + location + " answered without Content-Length",
            null);
      }
      return new ObjectMetadata(
          response.contentLength(),
          response.eTag(),
          response.lastModified(),
          response.contentType(),
          response.contentEncoding(),
          response.contentDisposition(),
          response.contentLanguage(),
          response.cacheControl(),
          response.expiresString(),
          checksums(
              response.checksumSHA256(),
              response.checksumSHA512(),
              response.checksumCRC32C(),
              response.checksumSHA1(),
              response.checksumMD5()),
          response.checksumTypeAsString());
    } catch (SdkException e) {
      throw translate(e, "HeadObject " + location, options.explain(e, location));
    }
  }

  @Override
  public GetResult get(ObjectRequest request) throws ObjectStoreException {
    var location = request.location();
    GetObjectRequest.Builder get =
        GetObjectRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .versionId(location.versionId())
            .range(request.range())
            .ifMatch(request.ifMatch())
            .ifNoneMatch(request.ifNoneMatch())
            .ifModifiedSince(request.ifModifiedSince())
            .overrideConfiguration(o -> o.apiCallTimeout(firstByteTimeout));
    if (request.range() == null) {
      // The stored checksums, for the client's digest fields (the SDK validates the body against
      // a full-object one as it is read to its end).
      get.checksumMode(ChecksumMode.ENABLED);
    }
    options
        .keyFor(location)
        .ifPresent(
            key ->
                get.sseCustomerAlgorithm(key.algorithm())
                    .sseCustomerKey(key.keyBase64())
                    .sseCustomerKeyMD5(key.keyMd5Base64()));
    if (options.requesterPays()) {
      get.requestPayer(RequestPayer.REQUESTER);
    }
    ResponseInputStream<GetObjectResponse> stream;
    try {
      stream = client.getObject(get.build());
    } catch (S3Exception e) {
      Optional<GetResult> answer = conditionalAnswer(e);
      if (answer.isPresent()) {
        return answer.get();
      }
      throw translate(e, "GetObject " + location, options.explain(e, location));
    } catch (SdkException e) {
      throw translate(e, "GetObject " + location, options.explain(e, location));
    }
    GetObjectResponse response = stream.response();
    if (response.contentLength() == null) {
      // Without a length, neither Content-Length nor a range can be answered; and closing a body
      // of unknown length would read all of it.
      stream.abort();
      throw new ObjectStoreException(
          Failure.UNAVAILABLE, "GetObject " + location + " answered without Content-Length", null);
    }
    Optional<ByteRange> part = Optional.empty();
    long completeLength = response.contentLength();
    if (response.sdkHttpResponse().statusCode() == 206) {
      Optional<ContentRange> range = ContentRange.parse(response.contentRange());
      if (range.isEmpty() || range.get().range().length() != completeLength) {
        stream.abort();
        throw new ObjectStoreException(
            Failure.UNAVAILABLE,
            "GetObject "
                + location
                + " answered 206 with Content-Range '"
                + response.contentRange()
                + "' and Content-Length "
                + response.contentLength(),
            null);
      }
      part = Optional.of(range.get().range());
      completeLength = range.get().completeLength();
    }
    ObjectMetadata metadata =
        new ObjectMetadata(
            completeLength,
            response.eTag(),
            response.lastModified(),
            response.contentType(),
            response.contentEncoding(),
            response.contentDisposition(),
            response.contentLanguage(),
            response.cacheControl(),
            response.expiresString(),
            part.isPresent()
                ? Map.of()
                : checksums(
                    response.checksumSHA256(),
                    response.checksumSHA512(),
                    response.checksumCRC32C(),
                    response.checksumSHA1(),
                    response.checksumMD5()),
            part.isPresent() ? null : response.checksumTypeAsString());
    return new GetResult.Found(new SdkObjectContent(metadata, part, stream));
  }

  /** The stored checksums S3 sent, by algorithm, of those the HTTP digest registry knows. */
  private static Map<String, String> checksums(
      String sha256, String sha512, String crc32c, String sha1, String md5) {
    Map<String, String> checksums = new HashMap<>();
    checksums.put("sha256", sha256);
    checksums.put("sha512", sha512);
    checksums.put("crc32c", crc32c);
    checksums.put("sha1", sha1);
    checksums.put("md5", md5);
    return checksums;
  }

  /** S3's answers to a request's conditions or range, which the SDK reports as exceptions. */
  private static Optional<GetResult> conditionalAnswer(S3Exception e) {
    return switch (e.statusCode()) {
      case 304 -> {
        SdkHttpResponse http =
            e.awsErrorDetails() == null ? null : e.awsErrorDetails().sdkHttpResponse();
        yield Optional.of(
            http == null
                ? new GetResult.NotModified(null, null, null, null)
                : new GetResult.NotModified(
                    http.firstMatchingHeader("ETag").orElse(null),
                    http.firstMatchingHeader("Last-Modified")
                        .flatMap(HttpDates::parse)
                        .orElse(null),
                    http.firstMatchingHeader("Cache-Control").orElse(null),
                    http.firstMatchingHeader("Expires").orElse(null)));
      }
      case 412 -> Optional.of(new GetResult.PreconditionFailed());
      case 416 -> Optional.of(new GetResult.RangeNotSatisfiable());
      default -> Optional.empty();
    };
  }

  /** Classifies an SDK failure; the message keeps every detail for the log. */
  static ObjectStoreException translate(SdkException e, String operation, String hint) {
    return new ObjectStoreException(
        failureOf(e), operation + " failed: " + e.getMessage() + hint, e);
  }

  /**
   * Classifies a failure to read an object: an SDK exception, or an I/O exception from a transport
   * that the SDK would have wrapped. {@link LeanS3ObjectStore} shares it, so that both engines
   * classify alike.
   */
  static Failure failureOf(Throwable e) {
    if (e instanceof NoSuchKeyException || e instanceof NoSuchBucketException) {
      return Failure.NOT_FOUND;
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return Failure.TIMEOUT;
    }
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      if (status == 404) {
        return Failure.NOT_FOUND;
      }
      if (status == 403) {
        return Failure.ACCESS_DENIED;
      }
      if (status == 503 || service.isThrottlingException()) {
        return Failure.THROTTLED;
      }
      return Failure.UNAVAILABLE;
    }
    if (hasCause(e, SocketTimeoutException.class) || hasCause(e, InterruptedIOException.class)) {
      return Failure.TIMEOUT;
    }
    return Failure.UNAVAILABLE;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A {@code Content-Range} of a 206 answer.
   *
   * @param range the bytes the body holds
   * @param completeLength the object's length
   */
  record ContentRange(ByteRange range, long completeLength) {

    private static final Pattern SYNTAX =
        Pattern.compile("bytes ([0-9]{1,18})-([0-9]{1,18})/([0-9]{1,18})");

    /**
     * Parses {@code bytes first-last/complete}; anything else, or an inconsistent one, is empty.
     */
    static Optional<ContentRange> parse(String value) {
      if (value == null) {
        return Optional.empty();
      }
      Matcher m = SYNTAX.matcher(value.strip());
      if (!m.matches()) {
        return Optional.empty();
      }
      long first = Long.parseLong(m.group(1));
      long last = Long.parseLong(m.group(2));
      long complete = Long.parseLong(m.group(3));
      if (last < first || last >= complete) {
        return Optional.empty();
      }
      return Optional.of(new ContentRange(new ByteRange(first, last), complete));
    }
  }

  private record SdkObjectContent(
      ObjectMetadata metadata,
      Optional<ByteRange> part,
      ResponseInputStream<GetObjectResponse> stream)
      implements ObjectContent {

    @Override
    public InputStream body() {
      return stream;
    }

    @Override
    public void abort() {
      stream.abort();
    }

    @Override
    public void close() {
      try {
        stream.close();
      } catch (java.io.IOException e) {
        // The body was read to its end: nothing is lost if releasing the connection fails.
        stream.abort();
      }
    }
  }
}
