package dev.s3redirect.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.s3redirect.RedirectPolicy;
import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectEvent;
import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.S3ObjectStore;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Jetty 12 on 127.0.0.1 with the filter in front of {@link ScriptedAppServlet} at {@code /app/*}.
 */
public final class RedirectingApp implements AutoCloseable {
  private final Server server;
  private final QueuedThreadPool threads;
  private final ScriptedAppServlet servlet = new ScriptedAppServlet();
  private final List<S3RedirectEvent> events = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> owned = new CopyOnWriteArrayList<>();

  public RedirectingApp(S3Client client, S3RedirectSettings settings) throws Exception {
    this(client, settings, event -> {});
  }

  /**
   * As the two-argument constructor, also telling {@code extra} of every event, after recording it.
   */
  public RedirectingApp(S3Client client, S3RedirectSettings settings, S3RedirectListener extra)
      throws Exception {
    this(client, settings, extra, Duration.ofSeconds(30));
  }

  /**
   * As the three-argument constructor, with the container's idle timeout, which also bounds how
   * long a write to a client that does not read may block.
   */
  public RedirectingApp(
      S3Client client, S3RedirectSettings settings, S3RedirectListener extra, Duration idleTimeout)
      throws Exception {
    this(new S3ObjectStore(client, settings.firstByteTimeout()), settings, extra, idleTimeout);
  }

  /** The filter reading from {@code store}, such as a {@link ScriptedObjectStore}. */
  public RedirectingApp(ObjectStore store, S3RedirectSettings settings) throws Exception {
    this(store, settings, event -> {}, Duration.ofSeconds(30));
  }

  /** The filter reading from {@code store}, also telling {@code extra} of every event. */
  public RedirectingApp(ObjectStore store, S3RedirectSettings settings, S3RedirectListener extra)
      throws Exception {
    this(store, settings, extra, Duration.ofSeconds(30));
  }

  /** The filter reading from {@code store}, with the container's idle timeout. */
  public RedirectingApp(
      ObjectStore store,
      S3RedirectSettings settings,
      S3RedirectListener extra,
      Duration idleTimeout)
      throws Exception {
    this(store, settings, extra, idleTimeout, 64);
  }

  /** The filter reading from {@code store}, with the container's idle timeout and thread pool. */
  public RedirectingApp(
      ObjectStore store,
      S3RedirectSettings settings,
      S3RedirectListener extra,
      Duration idleTimeout,
      int maxThreads)
      throws Exception {
    this(store, settings, extra, idleTimeout, maxThreads, 0);
  }

  /**
   * As above, with the socket send buffer of accepted connections ({@code 0}: the system's, which
   * on loopback grows to megabytes; a connection over a real network to a client that stopped
   * reading keeps a small one).
   */
  public RedirectingApp(
      ObjectStore store,
      S3RedirectSettings settings,
      S3RedirectListener extra,
      Duration idleTimeout,
      int maxThreads,
      int sendBufferSize)
      throws Exception {
    this(store, settings, extra, idleTimeout, maxThreads, sendBufferSize, null);
  }

  /** The filter reading from {@code store}, redirecting to signed URLs as {@code redirects} say. */
  public RedirectingApp(ObjectStore store, S3RedirectSettings settings, RedirectPolicy redirects)
      throws Exception {
    this(store, settings, event -> {}, Duration.ofSeconds(30), 64, 0, redirects);
  }

  private RedirectingApp(
      ObjectStore store,
      S3RedirectSettings settings,
      S3RedirectListener extra,
      Duration idleTimeout,
      int maxThreads,
      int sendBufferSize,
      RedirectPolicy redirects)
      throws Exception {
    threads = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
    threads.setName("app");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // Room for thousands of ranges in one header, so that the filter's limits are what is tested.
    http.setRequestHeaderSize(64 * 1024);
    // HTTP/1.1, and HTTP/2 in clear text (h2c) by upgrade or prior knowledge, on one port.
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(idleTimeout.toMillis());
    if (sendBufferSize > 0) {
      connector.setAcceptedSendBufferSize(sendBufferSize);
    }
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    var filter =
        new S3RedirectFilter(
            store,
            settings,
            event -> {
              events.add(event);
              extra.onEvent(event);
            },
            redirects);
    FilterHolder filterHolder = new FilterHolder(filter);
    filterHolder.setAsyncSupported(true);
    context.addFilter(filterHolder, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    ServletHolder servletHolder = new ServletHolder(servlet);
    servletHolder.setAsyncSupported(true);
    context.addServlet(servletHolder, "/app/*");
    server.setHandler(context);
    server.start();
  }

  public URI uri(String pathAndQuery) {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /**
   * A request to the application that answers with the header naming {@code location}.
   *
   * @param method the request's method, sent without a body
   * @param location the object the application names
   * @param headers request header names and values, in pairs
   */
  public HttpRequest.Builder request(String method, S3Location location, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                uri("/app/x?redirect=" + URLEncoder.encode(location.toHeaderValue(), UTF_8)))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Threads of the container that are serving a request now. */
  public int busyThreads() {
    return threads.getBusyThreads();
  }

  public ScriptedAppServlet servlet() {
    return servlet;
  }

  /** Events the filter reported, in order. */
  public List<S3RedirectEvent> events() {
    return events;
  }

  /**
   * Waits up to 10 s for at least {@code count} events and returns them all. The filter reports an
   * exchange when it has ended, which may be just after its client read the response's last byte.
   */
  public List<S3RedirectEvent> awaitEvents(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return events;
  }

  /** Waits up to 10 s for an event with this outcome and returns all events. */
  public List<S3RedirectEvent> awaitOutcome(S3RedirectEvent.Outcome outcome)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.stream().noneMatch(e -> e.outcome() == outcome) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return events;
  }

  /** Closes {@code resource} (a store of the app's own) when the app closes; returns the app. */
  public RedirectingApp closing(AutoCloseable resource) {
    owned.add(resource);
    return this;
  }

  @Override
  public void close() {
    try {
      server.stop();
      for (AutoCloseable resource : owned) {
        resource.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the app", e);
    }
  }
}
