package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.store.S3ObjectStore;
import dev.s3redirect.testing.ScriptedAppServlet;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link S3RedirectListener#onStreamStarted}: called once when an object's bytes start, always
 * followed by exactly one event for the same response; never for answers without an object body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamStartedIT {
  private static final String BUCKET = "started";
  private static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyz";

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile boolean throwOnStart;
  private EmbeddedS3Server s3;
  private S3Client client;
  private Server jetty;

  @BeforeAll
  void start() throws Exception {
    s3 = EmbeddedS3Server.start();
    client = s3.clientBuilder().build();
    client.createBucket(b -> b.bucket(BUCKET));
    client.putObject(b -> b.bucket(BUCKET).key("a.txt"), RequestBody.fromString(TEXT, UTF_8));
    client.putObject(b -> b.bucket(BUCKET).key("empty.txt"), RequestBody.empty());

    S3RedirectSettings settings = S3RedirectSettings.builder().allow(BUCKET).build();
    S3RedirectListener recording =
        new S3RedirectListener() {
          @Override
          public void onEvent(S3RedirectEvent event) {
            calls.add("event " + event.outcome() + " " + event.status());
          }

          @Override
          public void onStreamStarted(S3Location location) {
            calls.add("start " + location);
            if (throwOnStart) {
              throw new IllegalStateException("metrics down");
            }
          }
        };
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    FilterHolder filter =
        new FilterHolder(
            new S3RedirectFilter(
                new S3ObjectStore(client, settings.firstByteTimeout()), settings, recording));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    ServletHolder servlet = new ServletHolder(new ScriptedAppServlet());
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, "/app/*");
    jetty.setHandler(context);
    jetty.start();
  }

  @AfterAll
  void stop() throws Exception {
    jetty.stop();
    client.close();
    s3.close();
  }

  @BeforeEach
  void reset() {
    calls.clear();
    throwOnStart = false;
  }

  private HttpResponse<String> send(String method, String key, String... headers) throws Exception {
    String redirect = S3Location.of(BUCKET, key).toHeaderValue();
    int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/app/x?redirect="
                        + URLEncoder.encode(redirect, UTF_8)))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  /**
   * Returns the calls once {@code events} events were reported: the filter reports after the last
   * byte, so a client can have the whole body before the event is there.
   */
  private List<String> callsAfter(int events) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (calls.stream().filter(call -> call.startsWith("event")).count() < events
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    return List.copyOf(calls);
  }

  @Test
  void aFullObjectStartsOnceThenReportsOnce() throws Exception {
    assertThat(send("GET", "a.txt").body()).isEqualTo(TEXT);

    assertThat(callsAfter(1)).containsExactly("start s3://started/a.txt", "event SERVED 200");
  }

  @Test
  void anEmptyObjectStartsToo() throws Exception {
    assertThat(send("GET", "empty.txt").statusCode()).isEqualTo(200);

    assertThat(callsAfter(1)).containsExactly("start s3://started/empty.txt", "event SERVED 200");
  }

  @Test
  void oneRangeAndSeveralRangesStartOnceEach() throws Exception {
    assertThat(send("GET", "a.txt", "Range", "bytes=2-5").statusCode()).isEqualTo(206);
    assertThat(send("GET", "a.txt", "Range", "bytes=0-1,20-25").statusCode()).isEqualTo(206);

    assertThat(callsAfter(2))
        .containsExactly(
            "start s3://started/a.txt",
            "event SERVED 206",
            "start s3://started/a.txt",
            "event SERVED 206");
  }

  @ParameterizedTest(name = "{0} {1} {2}: {3}")
  @CsvSource({
    "HEAD, a.txt,    Range,         bytes=0-1,            event SERVED 200",
    "GET,  a.txt,    If-None-Match, *,                    event NOT_MODIFIED 304",
    "GET,  a.txt,    If-Match,      '\"nope\"',           event PRECONDITION_FAILED 412",
    "GET,  a.txt,    Range,         bytes=900-,           event RANGE_NOT_SATISFIABLE 416",
    "GET,  nothing,  Range,         bytes=0-1,            event NOT_FOUND 404",
  })
  void answersWithoutAnObjectBodyHaveNoStart(
      String method, String key, String header, String value, String event) throws Exception {
    send(method, key, header, value);

    assertThat(callsAfter(1)).containsExactly(event);
  }

  @Test
  void aListenerThatThrowsOnStartDoesNotBreakTheDownload() throws Exception {
    throwOnStart = true;

    HttpResponse<String> response = send("GET", "a.txt");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(TEXT);
    assertThat(callsAfter(1)).containsExactly("start s3://started/a.txt", "event SERVED 200");
  }
}
