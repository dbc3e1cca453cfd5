package dev.s3redirect.bench;

import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One Jetty 12 server on 127.0.0.1 holding the three application variants, each serving {@code
 * <prefix>/<key>} for objects of one bucket:
 *
 * <ul>
 *   <li>{@code /app/} the filter in front of a servlet that only sets {@code X-S3-Redirect};
 *   <li>{@code /mem/} a servlet that reads the whole object into memory, then writes it;
 *   <li>{@code /accel/} a servlet that answers nginx with {@code X-Accel-Redirect} to a presigned
 *       GET (nginx serves it at its own {@code /app/}).
 * </ul>
 */
final class Apps implements AutoCloseable {

  private final Server server;

  Apps(
      String bucket,
      S3Client filterClient,
      S3Client memoryClient,
      S3Presigner presigner,
      List<Integer> bufferSizes,
      S3Client urlConnectionClient)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("bench-app");
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(Duration.ofSeconds(60).toMillis());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    S3RedirectSettings settings = S3RedirectSettings.builder().allow(bucket).build();
    context.addFilter(
        new FilterHolder(new S3RedirectFilter(filterClient, settings)),
        "/app/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new RedirectingServlet(bucket)), "/app/*");
    // The buffer-size comparison: the same filter with another buffer at /buf<bytes>/.
    for (int size : bufferSizes) {
      String path = "/buf" + size + "/*";
      context.addFilter(
          new FilterHolder(
              new S3RedirectFilter(
                  filterClient,
                  S3RedirectSettings.builder().allow(bucket).bufferSize(size).build())),
          path,
          EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(new RedirectingServlet(bucket)), path);
    }
    // The HTTP-client comparison: the filter (64 KiB) on an SDK client with url-connection-client.
    context.addFilter(
        new FilterHolder(new S3RedirectFilter(urlConnectionClient, settings)),
        "/urlconn/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new RedirectingServlet(bucket)), "/urlconn/*");
    context.addServlet(new ServletHolder(new InMemoryServlet(bucket, memoryClient)), "/mem/*");
    context.addServlet(new ServletHolder(new AccelServlet(bucket, presigner)), "/accel/*");
    server.setHandler(context);
    server.start();
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop Jetty", e);
    }
  }

  private static String key(HttpServletRequest request) {
    String path = request.getPathInfo();
    return path == null ? "" : path.substring(1);
  }

  /** The application behind the filter: it names the object, the filter does the rest. */
  static final class RedirectingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String bucket;

    RedirectingServlet(String bucket) {
      this.bucket = bucket;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      response.setHeader(
          S3RedirectSettings.DEFAULT_HEADER_NAME, "s3://" + bucket + "/" + key(request));
    }
  }

  /** The naive application: the whole object into a byte array, then out to the client. */
  static final class InMemoryServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String bucket;
    private final transient S3Client client;

    InMemoryServlet(String bucket, S3Client client) {
      this.bucket = bucket;
      this.client = client;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      byte[] bytes =
          client.getObjectAsBytes(b -> b.bucket(bucket).key(key(request))).asByteArrayUnsafe();
      response.setContentType("application/octet-stream");
      response.setContentLengthLong(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }

  /** The application behind nginx: it presigns a GET and hands nginx its path and query. */
  private static final class AccelServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String bucket;
    private final transient S3Presigner presigner;

    AccelServlet(String bucket, S3Presigner presigner) {
      this.bucket = bucket;
      this.presigner = presigner;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      var url =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(10))
                          .getObjectRequest(g -> g.bucket(bucket).key(key(request))))
              .url();
      // Path-style: /<bucket>/<key>; nginx's internal location strips /internal-s3.
      response.setHeader("X-Accel-Redirect", "/internal-s3" + url.getPath() + "?" + url.getQuery());
    }
  }
}
