package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import dev.s3redirect.internal.http.HttpDates;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Builds the {@code GetObject} and {@code HeadObject} HTTP requests of the {@link
 * LeanS3ObjectStore} and signs them with the SDK's SigV4 signer ({@link AwsV4HttpSigner}), with
 * credentials resolved per request from the SDK's identity provider (which caches and refreshes
 * them). Anonymous credentials send the request unsigned.
 *
 * <p>The key is encoded as the SDK's S3 marshaller encodes it ({@link
 * SdkHttpUtils#urlEncodeIgnoreSlashes}): every byte but the RFC 3986 unreserved characters and
 * {@code /} is percent-encoded, so spaces, {@code +}, {@code %}, {@code ?}, {@code #}, Unicode and
 * runs of {@code /} reach S3 as they are. The payload is unsigned ({@code x-amz-content-sha256:
 * UNSIGNED-PAYLOAD}): the requests have no body.
 */
final class LeanS3Requests {

  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final ReadOptions options;

  /**
   * Creates the requests of one store, which add nothing to what a read asks for.
   *
   * @param credentials where credentials come from, per request
   */
  LeanS3Requests(IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
    this(credentials, ReadOptions.NONE);
  }

  /**
   * Creates the requests of one store.
   *
   * @param credentials where credentials come from, per request
   * @param options what every request adds: customer keys, requester pays
   */
  LeanS3Requests(
      IdentityProvider<? extends AwsCredentialsIdentity> credentials, ReadOptions options) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** What every request of this store adds. */
  ReadOptions options() {
    return options;
  }

  /** Returns the unsigned request for one read, with this store's options. */
  SdkHttpRequest unsigned(
      LeanS3Endpoints.Direct route, SdkHttpMethod method, ObjectRequest request) {
    return unsigned(route, method, request, options);
  }

  /**
   * Returns the request for one read, unsigned: the object's path under the endpoint, the version
   * as a query parameter, the headers of the options (for {@code GET} and {@code HEAD} alike), and
   * for {@code GET} the range and conditions S3 is asked to evaluate.
   */
  static SdkHttpRequest unsigned(
      LeanS3Endpoints.Direct route,
      SdkHttpMethod method,
      ObjectRequest request,
      ReadOptions options) {
    S3Location location = request.location();
    SdkHttpRequest.Builder http =
        SdkHttpRequest.builder()
            .method(method)
            .protocol(route.origin().getScheme())
            .host(route.origin().getHost())
            .port(route.origin().getPort() < 0 ? null : route.origin().getPort())
            .encodedPath(encodedPath(route.basePath(), location.key()));
    if (location.versionId() != null) {
      http.putRawQueryParameter("versionId", location.versionId());
    }
    for (Map.Entry<String, List<String>> header : route.headers().entrySet()) {
      http.putHeader(header.getKey(), header.getValue());
    }
    options.forEachHeader(location, http::putHeader);
    if (method == SdkHttpMethod.HEAD || request.range() == null) {
      // The stored checksums, for the client's digest fields; a ranged answer carries none that
      // describe the whole object.
      http.putHeader("x-amz-checksum-mode", "ENABLED");
    }
    if (method == SdkHttpMethod.GET) {
      putIfPresent(http, "Range", request.range());
      putIfPresent(http, "If-Match", request.ifMatch());
      putIfPresent(http, "If-None-Match", request.ifNoneMatch());
      if (request.ifModifiedSince() != null) {
        http.putHeader("If-Modified-Since", HttpDates.format(request.ifModifiedSince()));
      }
    }
    return http.build();
  }

  /** Returns the encoded path of a key under an endpoint's base path. */
  static String encodedPath(String basePath, String key) {
    return basePath + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
  }

  /** Returns the request target of a request: its encoded path and query. */
  static String target(SdkHttpRequest request) {
    return request
        .encodedQueryParameters()
        .map(query -> request.encodedPath() + "?" + query)
        .orElse(request.encodedPath());
  }

  /**
   * Signs a request for a route with the current credentials; returns it unchanged when they are
   * anonymous.
   *
   * @throws RuntimeException (usually an {@code SdkClientException}) if no credentials can be had
   */
  SdkHttpRequest sign(LeanS3Endpoints.Direct route, SdkHttpRequest request) {
    AwsCredentialsIdentity identity = currentCredentials();
    if (identity.accessKeyId() == null && identity.secretAccessKey() == null) {
      return request;
    }
    return signer
        .sign(
            SignRequest.builder(identity)
                .request(request)
                .putProperty(AwsV4HttpSigner.REGION_NAME, route.signingRegion())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, route.signingName())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, route.doubleUrlEncode())
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .build())
        .request();
  }

  private AwsCredentialsIdentity currentCredentials() {
    if (credentials instanceof AwsCredentialsProvider provider) {
      return provider.resolveCredentials();
    }
    try {
      return credentials.resolveIdentity().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static void putIfPresent(SdkHttpRequest.Builder http, String name, String value) {
    if (value != null) {
      http.putHeader(name, value);
    }
  }
}
