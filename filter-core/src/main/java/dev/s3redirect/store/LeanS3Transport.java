package dev.s3redirect.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The {@link LeanS3ObjectStore}'s connection pool: Apache HttpClient 5 (classic, blocking I/O) with
 * everything but HTTP/1.1 itself turned off (no retries, redirects, decompression, cookies,
 * authentication or connection state), sending already signed requests.
 *
 * <p>Timeouts are per phase. Until the response head has arrived, each wait (for a pooled
 * connection, to connect, for the head's bytes) is bounded by the time left of the first-byte
 * budget; once it has, reads of the body wait at most the idle-read timeout, however long the
 * download. The receive buffer ({@code SO_RCVBUF}) is set before connecting when configured, else
 * left to the operating system.
 */
final class LeanS3Transport implements AutoCloseable {

  /**
   * The pool's configuration.
   *
   * @param maxConnections the most connections open at once, over all endpoints
   * @param acquisitionTimeout the longest wait for a pooled connection
   * @param connectTimeout the longest wait to connect
   * @param idleReadTimeout the longest wait for the next bytes of a response body
   * @param receiveBufferSize the socket receive buffer in bytes, or 0 for the system's default
   * @param maxIdleTime how long an unused pooled connection is kept
   */
  record Settings(
      int maxConnections,
      Duration acquisitionTimeout,
      Duration connectTimeout,
      Duration idleReadTimeout,
      int receiveBufferSize,
      Duration maxIdleTime) {

    Settings {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1");
      }
      requirePositive(acquisitionTimeout, "connectionAcquisitionTimeout");
      requirePositive(connectTimeout, "connectTimeout");
      requirePositive(idleReadTimeout, "idleReadTimeout");
      requirePositive(maxIdleTime, "maxIdleTime");
      if (receiveBufferSize < 0) {
        throw new IllegalArgumentException("receiveBufferSize must not be negative");
      }
    }

    /** The options of every socket. */
    SocketConfig socketConfig() {
      SocketConfig.Builder socket =
          SocketConfig.custom().setTcpNoDelay(true).setSoTimeout(Timeout.of(idleReadTimeout));
      if (receiveBufferSize > 0) {
        socket.setRcvBufSize(receiveBufferSize);
      }
      return socket.build();
    }

    /** The options of every connection. */
    ConnectionConfig connectionConfig() {
      return ConnectionConfig.custom()
          .setConnectTimeout(Timeout.of(connectTimeout))
          .setSocketTimeout(Timeout.of(idleReadTimeout))
          .setValidateAfterInactivity(TimeValue.ofSeconds(2))
          .build();
    }

    /**
     * The limits of one attempt's wait for a pooled connection, to connect and for the response
     * head: each the configured one, or the time left of the first-byte budget if shorter.
     */
    @SuppressWarnings(
        "deprecation") // The per-request connect timeout: its replacement is per pool.
    RequestConfig requestConfig(long remainingNanos) {
      return RequestConfig.custom()
          .setConnectionRequestTimeout(atMost(acquisitionTimeout, remainingNanos))
          .setConnectTimeout(atMost(connectTimeout, remainingNanos))
          .setResponseTimeout(atMost(idleReadTimeout, remainingNanos))
          .setRedirectsEnabled(false)
          .setAuthenticationEnabled(false)
          .setContentCompressionEnabled(false)
          .setExpectContinueEnabled(false)
          .build();
    }

    private static Timeout atMost(Duration limit, long remainingNanos) {
      long millis =
          Math.max(1, Math.min(limit.toMillis(), TimeUnit.NANOSECONDS.toMillis(remainingNanos)));
      return Timeout.ofMilliseconds(millis);
    }

    private static void requirePositive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero() || value.toMillis() == 0) {
        throw new IllegalArgumentException(name + " must be at least 1 ms, was " + value);
      }
    }
  }

  private final Settings settings;
  private final PoolingHttpClientConnectionManager pool;
  private final CloseableHttpClient client;

  /**
   * Creates the pool; it opens connections on demand.
   *
   * @param settings its configuration
   */
  LeanS3Transport(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.pool =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(settings.maxConnections())
            .setMaxConnPerRoute(settings.maxConnections())
            .setDefaultSocketConfig(settings.socketConfig())
            .setDefaultConnectionConfig(settings.connectionConfig())
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(pool)
            .setRequestExecutor(new BodyTimeoutExecutor(Timeout.of(settings.idleReadTimeout())))
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableContentCompression()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableConnectionState()
            .setUserAgent("s3-redirect")
            .evictIdleConnections(TimeValue.of(settings.maxIdleTime()))
            .build();
  }

  /**
   * Sends a signed request and returns once the response head has arrived.
   *
   * @param request the signed request
   * @param origin the endpoint's scheme, host and port
   * @param deadlineNanos when the first-byte budget ends, on the {@link System#nanoTime()} clock
   * @return the exchange, whose body the caller must finish, abort or hand on
   * @throws IOException if no response head arrived: no connection, a reset, a timeout
   */
  Exchange send(SdkHttpRequest request, URI origin, long deadlineNanos) throws IOException {
    HttpUriRequestBase http =
        request.method() == SdkHttpMethod.HEAD ? new HttpHead(origin) : new HttpGet(origin);
    // Set the path as sent and signed: no URI parsing, no normalisation of the key's bytes.
    http.setPath(LeanS3Requests.target(request));
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      for (String value : header.getValue()) {
        http.addHeader(header.getKey(), value);
      }
    }
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(settings.requestConfig(deadlineNanos - System.nanoTime()));
    ClassicHttpResponse response = client.executeOpen(null, http, context);
    return new Exchange(http, response);
  }

  /** Returns whether requests wait for a pooled connection: every one is in use. */
  boolean isContended() {
    return pool.getTotalStats().getPending() > 0;
  }

  /** Closes every connection, in use or not; exchanges under way fail. */
  @Override
  public void close() {
    client.close(CloseMode.IMMEDIATE);
    pool.close(CloseMode.IMMEDIATE);
  }

  /** One request and the response whose head arrived. */
  static final class Exchange {
    private final HttpUriRequestBase request;
    private final ClassicHttpResponse response;

    Exchange(HttpUriRequestBase request, ClassicHttpResponse response) {
      this.request = request;
      this.response = response;
    }

    /** Returns the status code. */
    int status() {
      return response.getCode();
    }

    /** Returns the first value of a header, or {@code null}. */
    String header(String name) {
      Header header = response.getFirstHeader(name);
      return header == null ? null : header.getValue();
    }

    /**
     * Returns the body, or an empty stream when the answer has none. Reading it to its end returns
     * the connection to the pool; {@link #abort()} drops the connection instead.
     */
    InputStream body() throws IOException {
      HttpEntity entity = response.getEntity();
      return entity == null ? InputStream.nullInputStream() : entity.getContent();
    }

    /** Drops the connection at once, without reading what is left of the body. */
    void abort() {
      request.cancel();
    }

    /**
     * Ends the exchange after reading at most {@code limit} bytes of the body: the connection goes
     * back to the pool if the body ended within them, and is dropped otherwise.
     *
     * @param limit the most bytes to read
     * @return what was read, as UTF-8
     */
    String finish(int limit) {
      HttpEntity entity = response.getEntity();
      if (entity == null) {
        closeQuietly();
        return "";
      }
      byte[] read = new byte[limit + 1];
      int total = 0;
      try {
        InputStream in = entity.getContent();
        while (total <= limit) {
          int n = in.read(read, total, read.length - total);
          if (n < 0) {
            in.close();
            return new String(read, 0, total, StandardCharsets.UTF_8);
          }
          total += n;
        }
        // More than the limit: dropping the connection is cheaper than reading the rest.
        abort();
        return new String(read, 0, limit, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        abort();
        return new String(read, 0, Math.min(total, limit), StandardCharsets.UTF_8);
      }
    }

    private void closeQuietly() {
      try {
        response.close();
      } catch (IOException e) {
        abort();
      }
    }
  }

  /**
   * Switches a connection from the header-phase timeout (the request's response timeout, at most
   * the time left of the first-byte budget) to the idle-read timeout once the response head has
   * arrived, so that the budget never limits a download.
   */
  private static final class BodyTimeoutExecutor extends HttpRequestExecutor {
    private final Timeout idleReadTimeout;

    BodyTimeoutExecutor(Timeout idleReadTimeout) {
      this.idleReadTimeout = idleReadTimeout;
    }

    @Override
    public ClassicHttpResponse execute(
        ClassicHttpRequest request,
        HttpClientConnection connection,
        HttpResponseInformationCallback informationCallback,
        HttpContext context)
        throws IOException, HttpException {
      ClassicHttpResponse response =
          super.execute(request, connection, informationCallback, context);
      connection.setSocketTimeout(idleReadTimeout);
      return response;
    }
  }
}
