package dev.s3redirect.store;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.EndpointAuthScheme;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.endpoints.EndpointUrl;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * Where each bucket's objects are read from, decided once per bucket by the SDK's S3 endpoint rules
 * ({@link S3EndpointProvider}) and remembered: the endpoint, and how to sign for it; or why the
 * {@link LeanS3ObjectStore} must leave the bucket to its fallback store.
 *
 * <p>At most {@link #MAX_CACHED_BUCKETS} buckets are remembered; further ones are resolved on every
 * request, so that bucket names taken from applications cannot grow the cache without bound.
 */
final class LeanS3Endpoints {

  /** The most buckets whose routes are remembered. */
  static final int MAX_CACHED_BUCKETS = 1024;

  /** The bucket name used to compare this engine's addressing with an S3 client's. */
  static final String PROBE_BUCKET = "s3-redirect-probe";

  private final S3EndpointProvider provider;
  private final Settings settings;
  private final String delegateAll;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

  /**
   * Creates the routes of one configuration.
   *
   * @param provider the endpoint rules
   * @param settings their inputs other than the bucket
   * @param delegateAll when not {@code null}, why every bucket is left to the fallback store
   */
  LeanS3Endpoints(S3EndpointProvider provider, Settings settings, String delegateAll) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.delegateAll = delegateAll;
  }

  /**
   * The endpoint rules' inputs other than the bucket.
   *
   * @param region the client's region
   * @param endpointOverride an S3-compatible server's base URI, or {@code null} for AWS
   * @param forcePathStyle whether the bucket goes in the path rather than the host name
   * @param dualstack whether to use the IPv4/IPv6 endpoints
   * @param fips whether to use the FIPS 140 endpoints
   * @param useGlobalEndpoint whether {@code us-east-1} uses the legacy global endpoint
   */
  record Settings(
      Region region,
      URI endpointOverride,
      boolean forcePathStyle,
      boolean dualstack,
      boolean fips,
      boolean useGlobalEndpoint) {

    Settings {
      Objects.requireNonNull(region, "region");
    }

    S3EndpointParams params(String bucket) {
      return S3EndpointParams.builder()
          .region(region)
          .bucket(bucket)
          .endpoint(endpointOverride == null ? null : endpointOverride.toString())
          .forcePathStyle(forcePathStyle)
          .useDualStack(dualstack)
          .useFips(fips)
          .useGlobalEndpoint(useGlobalEndpoint)
          .build();
    }

    Settings inRegion(Region other) {
      return new Settings(
          other, endpointOverride, forcePathStyle, dualstack, fips, useGlobalEndpoint);
    }

    Settings withAddressing(boolean pathStyle, boolean dualstackEndpoints, boolean global) {
      return new Settings(region, endpointOverride, pathStyle, dualstackEndpoints, fips, global);
    }
  }

  /** How a bucket's objects are read. */
  sealed interface Route permits Direct, Delegated {}

  /**
   * Read by the lean engine: signed with SigV4 and sent to the endpoint.
   *
   * @param origin the endpoint's scheme, host and port; its path is {@link #basePath}
   * @param basePath the endpoint's path without a trailing {@code /}, the bucket for path-style
   *     addressing, often empty; keys follow it after a {@code /}
   * @param signingRegion the region to sign for
   * @param signingName the service name to sign for
   * @param doubleUrlEncode whether the signer encodes the path once more (never, for S3)
   * @param headers headers the endpoint rules require on every request
   */
  record Direct(
      URI origin,
      String basePath,
      String signingRegion,
      String signingName,
      boolean doubleUrlEncode,
      Map<String, List<String>> headers)
      implements Route {

    Direct {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(basePath, "basePath");
      Objects.requireNonNull(signingRegion, "signingRegion");
      Objects.requireNonNull(signingName, "signingName");
      headers = Map.copyOf(headers);
    }

    /** Returns the URL of an object whose key is already encoded for a path. */
    String objectUrl(String encodedKey) {
      return origin.getScheme() + "://" + origin.getRawAuthority() + basePath + "/" + encodedKey;
    }
  }

  /**
   * Left to the fallback store.
   *
   * @param reason what the lean engine does not support, for the log
   */
  record Delegated(String reason) implements Route {
    Delegated {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Returns the route of a bucket, resolving it on first use. */
  Route route(String bucket) {
    Route route = routes.get(bucket);
    if (route == null) {
      route = resolve(bucket);
      if (routes.size() < MAX_CACHED_BUCKETS) {
        Route raced = routes.putIfAbsent(bucket, route);
        if (raced != null) {
          route = raced;
        }
      }
    }
    return route;
  }

  /** Leaves a bucket to the fallback store from now on, for example after S3 redirected. */
  void delegate(String bucket, String reason) {
    remember(bucket, new Delegated(reason));
  }

  /**
   * Reads a bucket from now on in the region S3 named for it: the endpoint rules' route for the
   * bucket in that region, or a {@link Delegated} one when they give none this engine can use.
   *
   * @param bucket the bucket
   * @param regionId the region S3 named ({@code x-amz-bucket-region})
   * @return the bucket's new route
   */
  Route relocate(String bucket, String regionId) {
    Route route;
    if (delegateAll != null) {
      route = new Delegated(delegateAll);
    } else {
      try {
        Region region = Region.of(regionId);
        route =
            route(
                provider.resolveEndpoint(settings.inRegion(region).params(bucket)).join(), region);
      } catch (RuntimeException e) {
        route = new Delegated("the S3 endpoint rules failed for region " + regionId);
      }
    }
    remember(bucket, route);
    return route;
  }

  private void remember(String bucket, Route route) {
    if (routes.replace(bucket, route) == null && routes.size() < MAX_CACHED_BUCKETS) {
      routes.put(bucket, route);
    }
  }

  /** Returns the number of buckets remembered. */
  int cachedBuckets() {
    return routes.size();
  }

  /** Resolves a bucket's route with the endpoint rules, every time. */
  Route resolve(String bucket) {
    if (delegateAll != null) {
      return new Delegated(delegateAll);
    }
    Endpoint endpoint;
    try {
      endpoint = provider.resolveEndpoint(settings.params(bucket)).join();
    } catch (RuntimeException e) {
      // The rules report a configuration they reject (an invalid bucket name for it, FIPS with an
      // endpoint override, ...) as an exception, usually an SdkClientException; the SDK store
      // reports it the SDK's way.
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      return new Delegated("the S3 endpoint rules failed: " + cause.getMessage());
    }
    return route(endpoint, settings.region());
  }

  /**
   * Reads an endpoint the rules returned: a {@link Direct} route when its first auth scheme is
   * SigV4 and its URL is HTTP(S) without query, else a {@link Delegated} one naming what is
   * missing.
   */
  static Route route(Endpoint endpoint, Region region) {
    EndpointUrl url = endpoint.endpointUrl();
    if (url == null
        || url.host() == null
        || !("https".equals(url.scheme()) || "http".equals(url.scheme()))
        || (url.queryAndFragment() != null && !url.queryAndFragment().isEmpty())) {
      return new Delegated("the S3 endpoint rules answered the URL '" + url + "'");
    }
    List<EndpointAuthScheme> schemes = endpoint.attribute(AwsEndpointAttribute.AUTH_SCHEMES);
    if (schemes == null || schemes.isEmpty()) {
      return new Delegated("the S3 endpoint rules named no auth scheme");
    }
    EndpointAuthScheme scheme = schemes.get(0);
    if (!(scheme instanceof SigV4AuthScheme sigV4)) {
      return new Delegated("the S3 endpoint rules ask for the auth scheme '" + scheme.name() + "'");
    }
    String path = url.encodedPath() == null ? "" : url.encodedPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    URI uri = url.toUri();
    URI origin = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    String signingRegion = sigV4.signingRegion() != null ? sigV4.signingRegion() : region.id();
    String signingName = sigV4.signingName() != null ? sigV4.signingName() : "s3";
    boolean doubleUrlEncode = sigV4.isDisableDoubleEncodingSet() && !sigV4.disableDoubleEncoding();
    return new Direct(
        origin, path, signingRegion, signingName, doubleUrlEncode, endpoint.headers());
  }

  /**
   * Returns the addressing (path style, dual-stack, global endpoint) under which these settings'
   * rules give the probe bucket's object {@code k} the URL an S3 client gives it, or empty when
   * none does: the client then has settings this engine cannot reproduce.
   */
  static Optional<Settings> matchAddressing(
      S3EndpointProvider provider, Settings settings, String clientProbeUrl) {
    for (boolean pathStyle :
        new boolean[] {settings.forcePathStyle(), !settings.forcePathStyle()}) {
      for (boolean dualstack : new boolean[] {false, true}) {
        for (boolean global : new boolean[] {false, true}) {
          Settings candidate = settings.withAddressing(pathStyle, dualstack, global);
          Route route = new LeanS3Endpoints(provider, candidate, null).resolve(PROBE_BUCKET);
          if (route instanceof Direct direct && direct.objectUrl("k").equals(clientProbeUrl)) {
            return Optional.of(candidate);
          }
        }
      }
    }
    return Optional.empty();
  }
}
