package dev.s3redirect.embedded;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An S3-protocol server (S3Proxy) running in this JVM on loopback, storing objects in memory and
 * checking AWS Signature V2/V4 on every request.
 *
 * <p>It speaks real HTTP, so clients reach it exactly as they reach Amazon S3: through {@link
 * #endpoint()} with path-style addressing and the credentials of {@link #accessKey()} and {@link
 * #secretKey()}. Objects live as long as the server does.
 */
public final class EmbeddedS3Server implements AutoCloseable {

  /** The region clients should sign for; S3Proxy accepts any, the SDK needs one. */
  public static final Region REGION = Region.US_EAST_1;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final S3Proxy proxy;
  private final String host;
  private final String accessKey;
  private final String secretKey;

  private EmbeddedS3Server(S3Proxy proxy, String host, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.host = host;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /**
   * Returns a builder for a server on {@code 127.0.0.1}, on a free port, with random credentials.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a server with the builder's defaults.
   *
   * @return the running server
   */
  public static EmbeddedS3Server start() {
    return builder().start();
  }

  /**
   * Returns the base URI clients send requests to, for example {@code http://127.0.0.1:41234}.
   *
   * @return the endpoint
   */
  public URI endpoint() {
    return URI.create("http://" + host + ":" + proxy.getPort());
  }

  /**
   * Returns the TCP port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return proxy.getPort();
  }

  /**
   * Returns the access key id requests must be signed with.
   *
   * @return the access key id
   */
  public String accessKey() {
    return accessKey;
  }

  /**
   * Returns the secret key requests must be signed with.
   *
   * @return the secret access key
   */
  public String secretKey() {
    return secretKey;
  }

  /**
   * Returns an SDK client builder already pointed at this server: endpoint override, path-style
   * addressing, static credentials, a region, and checksums only where an operation requires them
   * (S3-compatible servers do not all implement the newer default checksums).
   *
   * @return a builder the caller may customise further (HTTP client, timeouts, interceptors)
   */
  public S3ClientBuilder clientBuilder() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
  }

  /** Stops the server; its objects are gone. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the embedded S3 server", e);
    }
  }

  /** Configures and starts an {@link EmbeddedS3Server}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private String accessKey = "access-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    private String secretKey = "secret-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

    private Builder() {}

    /**
     * Sets the address to listen on; loopback by default.
     *
     * @param host a host name or IP address of this machine
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Sets the port to listen on; 0 (the default) picks a free one.
     *
     * @param port a TCP port, or 0
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the credentials the server accepts.
     *
     * @param accessKey the access key id
     * @param secretKey the secret access key
     * @return this builder
     */
    public Builder credentials(String accessKey, String secretKey) {
      this.accessKey = requireText(accessKey, "accessKey");
      this.secretKey = requireText(secretKey, "secretKey");
      return this;
    }

    /**
     * Starts the server and waits until it accepts connections.
     *
     * @return the running server
     * @throws IllegalStateException if it does not start within 30 seconds
     */
    public EmbeddedS3Server start() {
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(new TransientNio2BlobStore())
              .endpoint(URI.create("http://" + host + ":" + port))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
              .build();
      try {
        proxy.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "embedded S3 server did not start: " + proxy.getState());
          }
          Thread.sleep(5);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the embedded S3 server", e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("could not start the embedded S3 server", e);
      }
      return new EmbeddedS3Server(proxy, host, accessKey, secretKey);
    }

    private static String requireText(String value, String name) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }
}
