package dev.s3redirect.bench;

import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One application variant in a JVM of its own, started by the benchmark harness for the workloads
 * that need their own heap limit, Java version or profiler: Jetty 12 on 127.0.0.1 with either the
 * filter ({@code filter}, at {@code /app/}) or the read-into-memory servlet ({@code memory}, at
 * {@code /mem/}), against the harness's S3Proxy.
 *
 * <p>{@code -Dbench.sendBuffer=<bytes>} caps the send buffer of accepted connections. Whatever a
 * request throws is printed as {@code REQUEST-FAILED <throwable>} on standard error. It prints
 * {@code PORT <port>} once started, then every 200 ms {@code STAT <heap used> <heap committed>
 * <live platform threads>} (bytes, bytes, count) on standard output.
 */
public final class ChildApp {

  private ChildApp() {}

  /**
   * Starts the application and runs until killed.
   *
   * <p>Arguments: kind ({@code filter} or {@code memory}), S3 endpoint, access key, secret key,
   * bucket, S3 connection-pool size, filter buffer size in bytes, and {@code platform} or {@code
   * virtual} for Jetty's request threads.
   *
   * @param args the arguments above
   * @throws Exception when Jetty cannot start
   */
  public static void main(String[] args) throws Exception {
    String kind = args[0];
    URI endpoint = URI.create(args[1]);
    String bucket = args[4];
    int pool = Integer.parseInt(args[5]);
    int buffer = Integer.parseInt(args[6]);
    boolean virtual = "virtual".equals(args[7]);

    S3Client s3 =
        S3Client.builder()
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(args[2], args[3])))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(pool)
                    .connectionTimeout(Duration.ofSeconds(5))
                    .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                    .socketTimeout(Duration.ofSeconds(60)))
            .build();

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("child-app");
    if (virtual) {
      Executor executor = VirtualThreads.getDefaultVirtualThreadsExecutor();
      if (executor == null) {
        throw new IllegalStateException("virtual threads need Java 21+: " + Runtime.version());
      }
      threads.setVirtualThreadsExecutor(executor);
    }
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(2048);
    // -Dbench.sendBuffer=<bytes> caps the kernel's send buffer of accepted connections, so that a
    // slow client holds its request thread instead of the kernel holding the whole response.
    int sendBuffer = Integer.getInteger("bench.sendBuffer", -1);
    if (sendBuffer > 0) {
      connector.setAcceptedSendBufferSize(sendBuffer);
    }
    connector.setIdleTimeout(Duration.ofSeconds(120).toMillis());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    // Jetty turns what a request throws into a 500 and logs through SLF4J (no provider here):
    // print it, so that the harness can say what happened.
    context.addFilter(
        new FilterHolder(
            (Filter)
                (request, response, chain) -> {
                  try {
                    chain.doFilter(request, response);
                  } catch (IOException | ServletException | RuntimeException | Error e) {
                    System.err.println("REQUEST-FAILED " + e);
                    throw e;
                  }
                }),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    if ("filter".equals(kind)) {
      S3RedirectSettings settings =
          S3RedirectSettings.builder().allow(bucket).bufferSize(buffer).build();
      context.addFilter(
          new FilterHolder(new S3RedirectFilter(s3, settings)),
          "/app/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(new Apps.RedirectingServlet(bucket)), "/app/*");
    } else {
      context.addServlet(new ServletHolder(new Apps.InMemoryServlet(bucket, s3)), "/mem/*");
    }
    server.setHandler(context);
    server.start();
    System.out.println("PORT " + connector.getLocalPort());
    System.out.flush();

    var memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    while (true) {
      MemoryUsage heap = memory.getHeapMemoryUsage();
      System.out.println(
          String.format(
              Locale.ROOT,
              "STAT %d %d %d",
              heap.getUsed(),
              heap.getCommitted(),
              threadBean.getThreadCount()));
      System.out.flush();
      Thread.sleep(200);
    }
  }
}
