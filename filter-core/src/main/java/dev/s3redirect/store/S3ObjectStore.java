package dev.s3redirect.store;

import dev.s3redirect.store.ObjectStoreException.Failure;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * An {@link ObjectStore} on the AWS SDK's synchronous {@link S3Client}: one {@code GetObject} or
 * {@code HeadObject} per read.
 *
 * <p>The client's own configuration applies (endpoint, credentials, HTTP client, retries, connect
 * and read timeouts); this store adds a per-request limit on the time until S3's response headers
 * arrive.
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Client client;
  private final Duration firstByteTimeout;

  /**
   * Creates a store.
   *
   * @param client the S3 client; not closed by this store
   * @param firstByteTimeout the longest wait for S3's response headers, retries included
   */
  public S3ObjectStore(S3Client client, Duration firstByteTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.firstByteTimeout = Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
  }

  @Override
  public ObjectMetadata head(ObjectRequest request) throws ObjectStoreException {
    var location = request.location();
    HeadObjectRequest head =
        HeadObjectRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .versionId(location.versionId())
            .overrideConfiguration(o -> o.apiCallTimeout(firstByteTimeout))
            .build();
    try {
      HeadObjectResponse response = client.headObject(head);
      return new ObjectMetadata(
          orZero(response.contentLength()),
          response.eTag(),
          response.lastModified(),
          response.contentType(),
          response.contentEncoding(),
          response.contentDisposition(),
          response.contentLanguage(),
          response.cacheControl(),
          response.expiresString());
    } catch (SdkException e) {
      throw translate(e, "HeadObject " + location);
    }
  }

  @Override
  public ObjectContent get(ObjectRequest request) throws ObjectStoreException {
    var location = request.location();
    GetObjectRequest get =
        GetObjectRequest.builder()
            .bucket(location.bucket())
            .key(location.key())
            .versionId(location.versionId())
            .overrideConfiguration(o -> o.apiCallTimeout(firstByteTimeout))
            .build();
    ResponseInputStream<GetObjectResponse> stream;
    try {
      stream = client.getObject(get);
    } catch (SdkException e) {
      throw translate(e, "GetObject " + location);
    }
    GetObjectResponse response = stream.response();
    ObjectMetadata metadata =
        new ObjectMetadata(
            orZero(response.contentLength()),
            response.eTag(),
            response.lastModified(),
            response.contentType(),
            response.contentEncoding(),
            response.contentDisposition(),
            response.contentLanguage(),
            response.cacheControl(),
            response.expiresString());
    return new SdkObjectContent(metadata, stream);
  }

  private static long orZero(Long length) {
    return length == null ? 0 : length;
  }

  /** Classifies an SDK failure; the message keeps every detail for the log. */
  static ObjectStoreException translate(SdkException e, String operation) {
    String message = operation + " failed: " + e.getMessage();
    if (e instanceof NoSuchKeyException || e instanceof NoSuchBucketException) {
      return new ObjectStoreException(Failure.NOT_FOUND, message, e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new ObjectStoreException(Failure.TIMEOUT, message, e);
    }
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      if (status == 404) {
        return new ObjectStoreException(Failure.NOT_FOUND, message, e);
      }
      if (status == 403) {
        return new ObjectStoreException(Failure.ACCESS_DENIED, message, e);
      }
      if (status == 503 || service.isThrottlingException()) {
        return new ObjectStoreException(Failure.THROTTLED, message, e);
      }
      return new ObjectStoreException(Failure.UNAVAILABLE, message, e);
    }
    if (hasCause(e, SocketTimeoutException.class) || hasCause(e, InterruptedIOException.class)) {
      return new ObjectStoreException(Failure.TIMEOUT, message, e);
    }
    return new ObjectStoreException(Failure.UNAVAILABLE, message, e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private record SdkObjectContent(
      ObjectMetadata metadata, ResponseInputStream<GetObjectResponse> stream)
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
