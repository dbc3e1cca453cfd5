package dev.s3redirect.store;

import dev.s3redirect.S3Location;
import dev.s3redirect.store.ObjectStoreException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.endpoints.EndpointProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An {@link ObjectStore} that reads {@code GetObject} and {@code HeadObject} without the AWS SDK's
 * per-call pipeline, assembled from the SDK's own parts: the S3 endpoint rules ({@link
 * S3EndpointProvider}, evaluated once per bucket), the SigV4 signer, the credentials providers and
 * the standard retry strategy; the requests travel on a pool of Apache HttpClient 5 connections. It
 * answers as {@link S3ObjectStore} does: the same requests (one HTTP request per read), the same
 * {@link GetResult} values for 304, 412 and 416, the same metadata and the same {@link Failure}
 * classification.
 *
 * <p>Build it with {@link #builder()}; a servlet application that already has an {@link S3Client}
 * can take its configuration, which then also serves as the fallback:
 *
 * <pre>{@code
 * LeanS3ObjectStore store = LeanS3ObjectStore.builder().configureFrom(s3Client).build();
 * }</pre>
 *
 * <h2>What it leaves to the fallback store</h2>
 *
 * <p>Requests this engine does not support go to the fallback {@link ObjectStore} given to the
 * builder (the SDK store of {@link Builder#configureFrom(S3Client)}), unchanged; without a fallback
 * they fail as {@link Failure#UNAVAILABLE}, the message naming what was missing:
 *
 * <ul>
 *   <li>buckets for which the S3 endpoint rules ask for an auth scheme other than SigV4: SigV4a
 *       (multi-region access points), {@code sigv4-s3express} (S3 Express One Zone directory
 *       buckets), any other or none;
 *   <li>buckets for which the endpoint rules fail (an invalid configuration or bucket name: the SDK
 *       store then reports the SDK's error), or answer a URL that is not plain {@code http} or
 *       {@code https};
 *   <li>buckets S3 redirects twice: a 301, 307 or 400 naming another region in {@code
 *       x-amz-bucket-region} makes this engine sign for that region from then on (the endpoint
 *       rules' route for the bucket there, remembered) and send the read once more; if S3 names yet
 *       another region, that read and every later one for the bucket go to the fallback, so an S3
 *       client with cross-region access enabled reaches them;
 *   <li>with {@link Builder#configureFrom(S3Client)}, every bucket when the client's addressing
 *       cannot be reproduced from its region, endpoint override, endpoint provider, path style,
 *       dual-stack and global-endpoint settings (for example transfer acceleration).
 * </ul>
 *
 * <h2>What differs from the SDK store</h2>
 *
 * <ul>
 *   <li>Response checksums are not validated; integrity rests on TCP and TLS. Stored checksums are
 *       asked for ({@code x-amz-checksum-mode: ENABLED}) on HEAD and unranged GET, to be sent to
 *       clients as digest fields.
 *   <li>No clock-skew correction: a signature S3 rejects for the time is retried, not re-dated.
 *   <li>The S3 client's interceptors, metric publishers, HTTP client and proxy settings do not
 *       apply; this engine's connections use the JVM's default TLS trust and no proxy. An S3
 *       client's FIPS setting cannot be read: set {@link Builder#fips(boolean)} too.
 *   <li>A {@code Last-Modified} that is not an HTTP date is left out rather than failing the read.
 *   <li>When the next retry would not fit in the first-byte budget, the last failure is reported
 *       rather than a timeout.
 * </ul>
 *
 * <h2>Timeouts and retries</h2>
 *
 * <p>The first-byte timeout bounds the time until S3's response head arrives, retries and their
 * back-off included; each wait within it (for a pooled connection, to connect, for the head's
 * bytes) is limited to the time left. Once the head has arrived, only the idle-read timeout
 * applies, however long the download. Failures before the head (connection refused or reset,
 * timeouts, throttling, 500, 502, 503, 504) are retried as the SDK's standard retry strategy
 * decides; nothing is retried once a body is being read.
 *
 * <p>Closing the store closes its connection pool and the credentials provider it created, never a
 * provider or a fallback store it was given.
 */
public final class LeanS3ObjectStore implements ObjectStore, AutoCloseable {

  private static final Logger LOG = System.getLogger(LeanS3ObjectStore.class.getName());

  private final LeanS3Endpoints endpoints;
  private final LeanS3Requests requests;
  private final LeanS3Transport transport;
  private final LeanS3Attempts attempts;
  private final ObjectStore fallback;
  private final SdkAutoCloseable ownedCredentials;

  private LeanS3ObjectStore(
      LeanS3Endpoints endpoints,
      LeanS3Requests requests,
      LeanS3Transport transport,
      RetryStrategy retries,
      Duration firstByteTimeout,
      ObjectStore fallback,
      SdkAutoCloseable ownedCredentials) {
    this.endpoints = endpoints;
    this.requests = requests;
    this.transport = transport;
    this.attempts = new LeanS3Attempts(requests, transport, retries, firstByteTimeout);
    this.fallback = fallback;
    this.ownedCredentials = ownedCredentials;
  }

  /**
   * Returns a builder with the defaults of {@link Builder}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ObjectMetadata head(S3Location location) throws ObjectStoreException {
    Sent sent = send("HeadObject", SdkHttpMethod.HEAD, ObjectRequest.of(location));
    if (sent.exchange() == null) {
      return fallback("HeadObject", location, sent.delegatedBecause()).head(location);
    }
    LeanS3Transport.Exchange exchange = sent.exchange();
    exchange.finish(0);
    long length = LeanS3Responses.contentLength(exchange::header);
    if (length < 0) {
      throw new ObjectStoreException(
          Failure.UNAVAILABLE, "HeadObject " + location + " answered without Content-Length", null);
    }
    return LeanS3Responses.metadata(length, exchange::header);
  }

  @Override
  public GetResult get(ObjectRequest request) throws ObjectStoreException {
    S3Location location = request.location();
    Sent sent = send("GetObject", SdkHttpMethod.GET, request);
    if (sent.exchange() == null) {
      return fallback("GetObject", location, sent.delegatedBecause()).get(request);
    }
    LeanS3Transport.Exchange exchange = sent.exchange();
    switch (exchange.status()) {
      case 304 -> {
        exchange.finish(LeanS3Responses.ERROR_BODY_LIMIT);
        return LeanS3Responses.notModified(exchange::header);
      }
      case 412 -> {
        exchange.finish(LeanS3Responses.ERROR_BODY_LIMIT);
        return new GetResult.PreconditionFailed();
      }
      case 416 -> {
        exchange.finish(LeanS3Responses.ERROR_BODY_LIMIT);
        return new GetResult.RangeNotSatisfiable();
      }
      default -> {
        return found(location, exchange);
      }
    }
  }

  /**
   * A read sent directly, its answer's head read; or, with no exchange, why the fallback store must
   * read it.
   */
  private record Sent(LeanS3Transport.Exchange exchange, String delegatedBecause) {}

  /**
   * Sends a read along its bucket's route. When S3 names another region for the bucket, the bucket
   * is signed for that region from then on and the read is sent once more; when S3 redirects again,
   * or the endpoint rules give no usable route there, the bucket is left to the fallback store from
   * then on.
   */
  private Sent send(String operation, SdkHttpMethod method, ObjectRequest request)
      throws ObjectStoreException {
    S3Location location = request.location();
    LeanS3Endpoints.Route route = endpoints.route(location.bucket());
    boolean relocated = false;
    while (route instanceof LeanS3Endpoints.Direct direct) {
      LeanS3Transport.Exchange exchange = attempts.send(operation, direct, method, request);
      if (!LeanS3Responses.otherRegion(
          exchange.status(), exchange::header, direct.signingRegion())) {
        return new Sent(exchange, null);
      }
      exchange.finish(LeanS3Responses.ERROR_BODY_LIMIT);
      String region = exchange.header("x-amz-bucket-region");
      if (relocated) {
        return new Sent(null, redirected(location, exchange));
      }
      relocated = true;
      route = endpoints.relocate(location.bucket(), region);
      if (route instanceof LeanS3Endpoints.Direct) {
        LOG.log(
            Level.INFO,
            "s3-redirect lean engine: bucket {0} is in region {1} (S3 answered {2}): signed for"
                + " that region from now on",
            location.bucket(),
            region,
            exchange.status());
      }
    }
    return new Sent(null, ((LeanS3Endpoints.Delegated) route).reason());
  }

  /** Reads a 200 or 206 answer: checks its length and range, and hands its body on. */
  private static GetResult found(S3Location location, LeanS3Transport.Exchange exchange)
      throws ObjectStoreException {
    long length = LeanS3Responses.contentLength(exchange::header);
    if (length < 0) {
      // Without a length, neither Content-Length nor a range can be answered; and closing a body
      // of unknown length would read all of it.
      exchange.abort();
      throw new ObjectStoreException(
          Failure.UNAVAILABLE, "GetObject " + location + " answered without Content-Length", null);
    }
    Optional<ByteRange> part = Optional.empty();
    long completeLength = length;
    if (exchange.status() == 206) {
      String contentRange = exchange.header("Content-Range");
      Optional<S3ObjectStore.ContentRange> range = S3ObjectStore.ContentRange.parse(contentRange);
      if (range.isEmpty() || range.get().range().length() != length) {
        exchange.abort();
        throw new ObjectStoreException(
            Failure.UNAVAILABLE,
            "GetObject "
                + location
                + " answered 206 with Content-Range '"
                + contentRange
                + "' and Content-Length "
                + length,
            null);
      }
      part = Optional.of(range.get().range());
      completeLength = range.get().completeLength();
    }
    ObjectMetadata metadata = LeanS3Responses.metadata(completeLength, exchange::header);
    if (part.isPresent()) {
      metadata = metadata.withoutChecksums();
    }
    InputStream body;
    try {
      body = exchange.body();
    } catch (IOException | RuntimeException e) {
      exchange.abort();
      throw new ObjectStoreException(
          S3ObjectStore.failureOf(e),
          "GetObject " + location + " failed: " + LeanS3Responses.describe(e),
          e);
    }
    return new GetResult.Found(new LeanS3ObjectContent(metadata, part, body, exchange::abort));
  }

  /** Leaves the bucket S3 redirected to the fallback store, and says why. */
  private String redirected(S3Location location, LeanS3Transport.Exchange exchange) {
    String reason =
        "S3 answered "
            + exchange.status()
            + " for the bucket's region "
            + exchange.header("x-amz-bucket-region");
    endpoints.delegate(location.bucket(), reason);
    LOG.log(
        Level.INFO,
        "s3-redirect lean engine: bucket {0} is read by the fallback store from now on: {1}",
        location.bucket(),
        reason);
    return reason;
  }

  private ObjectStore fallback(String operation, S3Location location, String reason)
      throws ObjectStoreException {
    if (fallback == null) {
      throw new ObjectStoreException(
          Failure.UNAVAILABLE,
          operation
              + " "
              + location
              + " needs the SDK engine ("
              + reason
              + "), and no fallback store is configured",
          null);
    }
    return fallback;
  }

  /** Returns whether reads wait for one of this engine's pooled connections. */
  @Override
  public boolean hasCustomerKey(S3Location location) {
    return requests.options().keyFor(location).isPresent();
  }

  @Override
  public boolean isContended() {
    return transport.isContended();
  }

  /**
   * Closes the connection pool, failing reads under way, and the credentials provider this store
   * created; never a provider or fallback store it was given.
   */
  @Override
  public void close() {
    transport.close();
    if (ownedCredentials != null) {
      ownedCredentials.close();
    }
  }

  /**
   * Configures a {@link LeanS3ObjectStore}. Defaults: 200 connections, 10 s to get a pooled
   * connection, 2 s to connect, 30 s idle-read timeout, 15 s first-byte timeout, the system's
   * socket receive buffer, 3 attempts, virtual-hosted addressing, credentials from the SDK's
   * default chain, no fallback store, no customer keys, no requester-pays acknowledgement.
   */
  public static final class Builder {
    private Region region;
    private URI endpointOverride;
    private boolean forcePathStyle;
    private boolean dualstack;
    private boolean fips;
    private IdentityProvider<? extends AwsCredentialsIdentity> credentialsProvider;
    private S3EndpointProvider endpointProvider;
    private ObjectStore fallback;
    private boolean fallbackGiven;
    private S3Client client;
    private int maxConnections = 200;
    private Duration connectionAcquisitionTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration idleReadTimeout = Duration.ofSeconds(30);
    private Duration firstByteTimeout = Duration.ofSeconds(15);
    private int receiveBufferSize;
    private int maxAttempts = 3;
    private CustomerKeyProvider customerKeys = CustomerKeyProvider.NONE;
    private boolean requesterPays;

    private Builder() {}

    /**
     * Takes an S3 client's configuration: its region, endpoint override, endpoint provider and
     * credentials provider, and its addressing (path style, dual-stack, global endpoint), read by
     * comparing the URL its {@code utilities()} give an object with this engine's. The client also
     * becomes the fallback store, an {@link S3ObjectStore} with this builder's first-byte timeout,
     * unless {@link #fallback(ObjectStore)} names another. The client is not closed by the store.
     *
     * <p>Not read, because the client does not expose them: FIPS (set {@link #fips(boolean)}),
     * timeouts, the HTTP client and its pool size, retries, interceptors.
     *
     * @param s3Client the client
     * @return this builder
     */
    public Builder configureFrom(S3Client s3Client) {
      this.client = Objects.requireNonNull(s3Client, "s3Client");
      S3ServiceClientConfiguration configuration = s3Client.serviceClientConfiguration();
      this.region = configuration.region();
      this.endpointOverride = configuration.endpointOverride().orElse(null);
      this.credentialsProvider = configuration.credentialsProvider();
      Optional<EndpointProvider> provider = configuration.endpointProvider();
      this.endpointProvider =
          provider.isPresent() && provider.get() instanceof S3EndpointProvider s3
              ? s3
              : this.endpointProvider;
      return this;
    }

    /**
     * Sets the region; required unless {@link #configureFrom(S3Client)} set it.
     *
     * @param region the region of the buckets (S3-compatible servers accept any)
     * @return this builder
     */
    public Builder region(Region region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * Sets the base URI of an S3-compatible server, instead of AWS.
     *
     * @param endpoint {@code http(s)://host[:port][/path]}, or {@code null} for AWS
     * @return this builder
     */
    public Builder endpointOverride(URI endpoint) {
      this.endpointOverride = endpoint;
      return this;
    }

    /**
     * Sets whether the bucket goes in the path ({@code http://host/bucket/key}) rather than the
     * host name; most S3-compatible servers need it. {@link #configureFrom(S3Client)} reads it from
     * the client.
     *
     * @param pathStyle whether to use path-style addressing
     * @return this builder
     */
    public Builder forcePathStyle(boolean pathStyle) {
      this.forcePathStyle = pathStyle;
      return this;
    }

    /**
     * Sets whether to use S3's dual-stack (IPv4 and IPv6) endpoints.
     *
     * @param dualstackEndpoints whether to use them
     * @return this builder
     */
    public Builder dualstack(boolean dualstackEndpoints) {
      this.dualstack = dualstackEndpoints;
      return this;
    }

    /**
     * Sets whether to use S3's FIPS 140 endpoints.
     *
     * @param fipsEndpoints whether to use them
     * @return this builder
     */
    public Builder fips(boolean fipsEndpoints) {
      this.fips = fipsEndpoints;
      return this;
    }

    /**
     * Sets where credentials come from; they are asked for on every request, and the SDK's
     * providers cache and refresh them. {@code AnonymousCredentialsProvider} sends requests
     * unsigned.
     *
     * @param provider an SDK credentials or identity provider; not closed by the store
     * @return this builder
     */
    public Builder credentialsProvider(
        IdentityProvider<? extends AwsCredentialsIdentity> provider) {
      this.credentialsProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Sets the store that reads what this engine does not support (see the class description);
     * usually an {@link S3ObjectStore}. It replaces the one {@link #configureFrom(S3Client)} would
     * create. Not closed by this store.
     *
     * @param store the fallback, or {@code null} for none: what needs one then fails
     * @return this builder
     */
    public Builder fallback(ObjectStore store) {
      this.fallback = store;
      this.fallbackGiven = true;
      return this;
    }

    /**
     * Sets the most connections open to S3 at once. Each response being streamed holds one for its
     * whole duration.
     *
     * @param max the pool size, at least 1
     * @return this builder
     */
    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    /**
     * Sets the longest wait for a connection from the pool when all are in use; within the
     * first-byte timeout.
     *
     * @param timeout the timeout, at least 1 ms
     * @return this builder
     */
    public Builder connectionAcquisitionTimeout(Duration timeout) {
      this.connectionAcquisitionTimeout = timeout;
      return this;
    }

    /**
     * Sets the longest wait to open a connection; within the first-byte timeout.
     *
     * @param timeout the timeout, at least 1 ms
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Sets the longest wait for the next bytes of a response body; it ends a stalled download with
     * a {@link java.net.SocketTimeoutException} from the body.
     *
     * @param timeout the timeout, at least 1 ms
     * @return this builder
     */
    public Builder idleReadTimeout(Duration timeout) {
      this.idleReadTimeout = timeout;
      return this;
    }

    /**
     * Sets the longest wait for S3's response head, retries and their back-off included; it does
     * not limit the download that follows.
     *
     * @param timeout the timeout, at least 1 ms
     * @return this builder
     */
    public Builder firstByteTimeout(Duration timeout) {
      this.firstByteTimeout = timeout;
      return this;
    }

    /**
     * Sets the socket receive buffer ({@code SO_RCVBUF}) of connections to S3, which bounds how
     * much of a body the operating system reads ahead of the application. 0, the default, leaves
     * the system's default and its automatic tuning, which is what keeps single large downloads
     * fast on long or fast paths; a small buffer bounds what an abandoned download costs.
     *
     * @param bytes the buffer size in bytes, or 0 for the system's default
     * @return this builder
     */
    public Builder receiveBufferSize(int bytes) {
      this.receiveBufferSize = bytes;
      return this;
    }

    /**
     * Sets the most attempts of one read, the first included, as the SDK's standard retry strategy
     * counts them; 1 never retries.
     *
     * @param attempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Sets where the customer-provided keys (SSE-C) of encrypted objects come from: each {@code
     * GetObject} and {@code HeadObject} of such an object carries its key, and so do the requests
     * of the fallback store that {@link #configureFrom(S3Client)} creates (a fallback given to
     * {@link #fallback(ObjectStore)} is configured by its creator).
     *
     * @param keys the provider
     * @return this builder
     */
    public Builder customerKeys(CustomerKeyProvider keys) {
      this.customerKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Sets whether every request acknowledges that the requester pays for it ({@code
     * x-amz-request-payer: requester}), as requester-pays buckets demand of other accounts; also
     * for the fallback store that {@link #configureFrom(S3Client)} creates.
     *
     * @param pays whether to send the acknowledgement
     * @return this builder
     */
    public Builder requesterPays(boolean pays) {
      this.requesterPays = pays;
      return this;
    }

    /** Uses other endpoint rules, for tests. */
    Builder endpointProvider(S3EndpointProvider provider) {
      this.endpointProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Builds the store: validates the configuration and creates the connection pool (connections
     * open on demand).
     *
     * @return the store, which the caller closes
     * @throws IllegalStateException if no region was set
     * @throws IllegalArgumentException if a size or timeout is out of range
     */
    public LeanS3ObjectStore build() {
      if (region == null) {
        throw new IllegalStateException("a region is required: region(...) or configureFrom(...)");
      }
      Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
      if (firstByteTimeout.isNegative() || firstByteTimeout.toMillis() == 0) {
        throw new IllegalArgumentException(
            "firstByteTimeout must be at least 1 ms, was " + firstByteTimeout);
      }
      LeanS3Transport.Settings transportSettings =
          new LeanS3Transport.Settings(
              maxConnections,
              connectionAcquisitionTimeout,
              connectTimeout,
              idleReadTimeout,
              receiveBufferSize,
              Duration.ofSeconds(60));
      S3EndpointProvider rules =
          endpointProvider != null ? endpointProvider : S3EndpointProvider.defaultProvider();
      LeanS3Endpoints.Settings settings =
          new LeanS3Endpoints.Settings(
              region, endpointOverride, forcePathStyle, dualstack, fips, false);
      String delegateAll = null;
      if (client != null) {
        Optional<LeanS3Endpoints.Settings> matched = Optional.empty();
        String clientUrl = null;
        try {
          clientUrl =
              client
                  .utilities()
                  .getUrl(b -> b.bucket(LeanS3Endpoints.PROBE_BUCKET).key("k"))
                  .toString();
          matched = LeanS3Endpoints.matchAddressing(rules, settings, clientUrl);
        } catch (RuntimeException e) {
          clientUrl = e.toString();
        }
        if (matched.isPresent()) {
          settings = matched.get();
        } else {
          delegateAll =
              "the S3 client's addressing could not be reproduced (it gives an object the URL "
                  + clientUrl
                  + ")";
          LOG.log(
              Level.WARNING,
              "s3-redirect lean engine: every object is read by the fallback store: {0}",
              delegateAll);
        }
      }
      SdkAutoCloseable ownedCredentials = null;
      IdentityProvider<? extends AwsCredentialsIdentity> credentials = credentialsProvider;
      if (credentials == null) {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        ownedCredentials = chain;
        credentials = chain;
      }
      ObjectStore fallbackStore =
          fallbackGiven || client == null
              ? fallback
              : new S3ObjectStore(client, firstByteTimeout)
                  .withCustomerKeys(customerKeys)
                  .withRequesterPays(requesterPays);
      RetryStrategy retries =
          AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build();
      return new LeanS3ObjectStore(
          new LeanS3Endpoints(rules, settings, delegateAll),
          new LeanS3Requests(credentials, new ReadOptions(customerKeys, requesterPays)),
          new LeanS3Transport(transportSettings),
          retries,
          firstByteTimeout,
          fallbackStore,
          ownedCredentials);
    }
  }
}
