package dev.s3redirect.bench;

import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.ObjectStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * One application in a JVM of its own (Jetty 12 on 127.0.0.1), started by the benchmark harness so
 * that its CPU, heap and allocation are its own:
 *
 * <ul>
 *   <li>{@code kind=filter}: the filter at {@code /app/} in front of a servlet that only sets
 *       {@code X-S3-Redirect}, reading through the engine {@code engine=} ({@link Engines}) with
 *       the settings row {@code settings=} ({@link SettingsRows}); with {@code tuning=true} also
 *       the buffer sizes at {@code /buf<bytes>/} and the SDK on {@code url-connection-client} at
 *       {@code /urlconn/};
 *   <li>{@code kind=accel}: the application of the nginx recipe at {@code /accel/} (presigned GET
 *       in {@code X-Accel-Redirect});
 *   <li>{@code kind=memory}: a servlet that reads the whole object into memory at {@code /mem/}.
 * </ul>
 *
 * <p>Arguments are {@code name=value} pairs: {@code kind}, {@code s3} (the S3 endpoint), {@code
 * access}, {@code secret}, {@code bucket}, and optionally {@code engine} ({@code sdk}), {@code
 * settings} ({@code defaults}), {@code pool} (S3 connections, 64), {@code buffer} (bytes, 65536),
 * {@code threads} ({@code platform} or {@code virtual}), {@code maxThreads} (200), {@code
 * idleTimeout} (seconds, Jetty's default 30), {@code acquireTimeout} (seconds, the SDK's default
 * 10), {@code tuning}. {@code -Dbench.sendBuffer=<bytes>} caps the send buffer of accepted
 * connections.
 *
 * <p>It prints {@code PORT <port>} once started, then every 200 ms {@code STAT <heap used> <heap
 * committed> <live platform threads> <busy request threads>}. {@code GET /_bench/stats} answers
 * {@code s3Requests=<n>} (requests sent through the store, any engine) and {@code busyThreads=<n>}.
 * Whatever a request throws is printed as {@code REQUEST-FAILED <throwable>} on standard error. It
 * exits when its standard input ends, so that it never outlives the harness.
 */
public final class ChildApp {

  private ChildApp() {}

  /** The filter buffer sizes of the tuning paths, in bytes. */
  static final List<Integer> TUNING_BUFFERS = List.of(16 * 1024, 64 * 1024, 256 * 1024, 1 << 20);

  /**
   * Starts the application and runs until standard input ends or it is killed.
   *
   * @param args {@code name=value} pairs, as described on the class
   * @throws Exception when Jetty cannot start
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    String kind = a.get("kind");
    URI endpoint = URI.create(required(a, "s3"));
    String bucket = required(a, "bucket");
    int pool = Integer.parseInt(a.getOrDefault("pool", "64"));
    int buffer = Integer.parseInt(a.getOrDefault("buffer", Integer.toString(64 * 1024)));
    int maxThreads = Integer.parseInt(a.getOrDefault("maxThreads", "200"));
    Engines.StoreConfig store =
        new Engines.StoreConfig(
            endpoint,
            Region.US_EAST_1,
            required(a, "access"),
            required(a, "secret"),
            pool,
            Duration.ofSeconds(5),
            Duration.ofSeconds(Long.parseLong(a.getOrDefault("acquireTimeout", "10"))),
            Duration.ofSeconds(60),
            S3RedirectSettings.DEFAULT_FIRST_BYTE_TIMEOUT);

    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, 8);
    threads.setName("child-app");
    if ("virtual".equals(a.get("threads"))) {
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
    connector.setAcceptQueueSize(4096);
    int sendBuffer = Integer.getInteger("bench.sendBuffer", -1);
    if (sendBuffer > 0) {
      connector.setAcceptedSendBufferSize(sendBuffer);
    }
    connector.setIdleTimeout(
        Duration.ofSeconds(Long.parseLong(a.getOrDefault("idleTimeout", "30"))).toMillis());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    // Jetty turns what a request throws into a 500 and logs through SLF4J (no provider here):
    // print it, so that the harness can say what happened.
    // Async-supported, like every holder here: the filter writes non-blocking only when the whole
    // chain supports asynchronous requests.
    FilterHolder failures =
        new FilterHolder(
            (Filter)
                (request, response, chain) -> {
                  try {
                    chain.doFilter(request, response);
                  } catch (IOException | ServletException | RuntimeException | Error e) {
                    System.err.println("REQUEST-FAILED " + e);
                    throw e;
                  }
                });
    failures.setAsyncSupported(true);
    context.addFilter(failures, "/*", EnumSet.of(DispatcherType.REQUEST));
    AtomicLong s3Requests = new AtomicLong();
    switch (kind == null ? "" : kind) {
      case "filter" -> {
        ObjectStore engine = Engines.create(a.getOrDefault("engine", "sdk"), store);
        String row = a.getOrDefault("settings", SettingsRows.DEFAULTS);
        addFilter(
            context,
            "/app/*",
            new AppServlets.CountingStore(engine, s3Requests),
            SettingsRows.settings(row, bucket, buffer),
            bucket);
        if (Boolean.parseBoolean(a.getOrDefault("tuning", "false"))) {
          for (int size : TUNING_BUFFERS) {
            addFilter(
                context,
                "/buf" + size + "/*",
                engine,
                SettingsRows.settings(row, bucket, size),
                bucket);
          }
          S3Client urlConnection =
              Engines.sdkClientBuilder(store)
                  .httpClientBuilder(
                      UrlConnectionHttpClient.builder()
                          .connectionTimeout(store.connectionTimeout())
                          .socketTimeout(store.socketTimeout()))
                  .build();
          addFilter(
              context,
              "/urlconn/*",
              new dev.s3redirect.store.S3ObjectStore(urlConnection, store.firstByteTimeout()),
              SettingsRows.settings(row, bucket, buffer),
              bucket);
        }
      }
      case "memory" ->
          context.addServlet(
              new ServletHolder(
                  new AppServlets.InMemoryServlet(bucket, Engines.sdkClient(store), s3Requests)),
              "/mem/*");
      case "accel" -> {
        S3Presigner presigner =
            S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(store.region())
                .credentialsProvider(store.credentials())
                .serviceConfiguration(
                    S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
        context.addServlet(
            new ServletHolder(new AppServlets.AccelServlet(bucket, presigner)), "/accel/*");
      }
      default ->
          throw new IllegalArgumentException("kind must be filter, accel or memory: " + kind);
    }
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response)
                  throws IOException {
                response.setContentType("text/plain");
                response
                    .getOutputStream()
                    .write(
                        ("s3Requests="
                                + s3Requests.get()
                                + "\nbusyThreads="
                                + threads.getBusyThreads()
                                + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
              }
            }),
        "/_bench/stats");
    server.setHandler(context);
    server.start();
    System.out.println("PORT " + connector.getLocalPort());
    System.out.flush();
    exitWhenStdinEnds();

    var memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    while (true) {
      MemoryUsage heap = memory.getHeapMemoryUsage();
      System.out.println(
          String.format(
              Locale.ROOT,
              "STAT %d %d %d %d",
              heap.getUsed(),
              heap.getCommitted(),
              threadBean.getThreadCount(),
              threads.getBusyThreads()));
      System.out.flush();
      Thread.sleep(200);
    }
  }

  private static void addFilter(
      ServletContextHandler context,
      String path,
      ObjectStore store,
      S3RedirectSettings settings,
      String bucket) {
    FilterHolder filter =
        new FilterHolder(new S3RedirectFilter(store, settings, S3RedirectListener.NONE));
    filter.setAsyncSupported(true);
    // REQUEST and ASYNC, as the filter's documentation asks.
    context.addFilter(filter, path, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    ServletHolder servlet = new ServletHolder(new AppServlets.RedirectingServlet(bucket));
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, path);
  }

  /** {@code name=value} arguments as a map; anything else is an error. */
  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("arguments are name=value: " + arg);
      }
      m.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return m;
  }

  private static String required(Map<String, String> args, String name) {
    String value = args.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing argument " + name + "=");
    }
    return value;
  }

  private static void exitWhenStdinEnds() {
    Thread watcher =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                  // nothing is expected; the end is the signal
                }
              } catch (IOException e) {
                // treated as the end
              }
              System.exit(0);
            },
            "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }
}
