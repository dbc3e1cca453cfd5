package dev.s3redirect;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.embedded.LoopbackTcpProxy;
import dev.s3redirect.embedded.RawHttp;
import dev.s3redirect.store.S3ObjectStore;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.S3Backend;
import dev.s3redirect.testing.S3ProxyBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Non-blocking object bodies on Jetty: clients that stop reading hold neither a container thread
 * nor, after the stall timeout, an S3 connection; when they read again their download resumes,
 * byte-exact and never spliced from two versions; when they go away, everything is freed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class NonBlockingWritesIT {

  static final String BUCKET = "slow";
  static final int MIB = 1024 * 1024;
  static final int LARGE = 8 * MIB;
  static final Duration STALL = Duration.ofMillis(300);

  private S3Backend backend;
  private S3Client admin;
  private byte[] large;
  private LoopbackTcpProxy relay;
  private S3Client client;
  private RedirectingApp app;
  private final List<Socket> sockets = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  void startS3() {
    backend = new S3ProxyBackend();
    admin = backend.clientBuilder(backend.endpoint()).build();
    admin.createBucket(b -> b.bucket(BUCKET));
    large = new byte[LARGE];
    new Random(13).nextBytes(large);
    put("large.bin", large);
    put("small.bin", Arrays.copyOf(large, 4096));
  }

  private void put(String key, byte[] bytes) {
    admin.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  /** The filter behind a counting relay to S3, with {@code s3Connections} pooled connections. */
  void start(int s3Connections, int containerThreads, WriteMode mode) throws Exception {
    relay = new LoopbackTcpProxy(backend.endpoint());
    client =
        backend
            .clientBuilder(relay.endpoint())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(s3Connections)
                    .connectionAcquisitionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(10)))
            .build();
    S3RedirectSettings settings =
        S3RedirectSettings.builder().allow(BUCKET).writeMode(mode).stallTimeout(STALL).build();
    app =
        new RedirectingApp(
            new S3ObjectStore(client, settings.firstByteTimeout()),
            settings,
            event -> {},
            Duration.ofSeconds(60),
            containerThreads);
  }

  @BeforeEach
  void restore() {
    put("large.bin", large);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
    if (app != null) {
      app.close();
    }
    if (client != null) {
      client.close();
    }
    if (relay != null) {
      relay.close();
    }
  }

  @AfterAll
  void stopS3() {
    admin.close();
    backend.close();
  }

  static String path(String key) {
    return "/app/x?redirect="
        + URLEncoder.encode(S3Location.of(BUCKET, key).toHeaderValue(), UTF_8);
  }

  /** A client that asks for the object, reads the response head, and then reads nothing. */
  Socket stalledClient(String key) throws IOException {
    Socket socket = new Socket();
    sockets.add(socket);
    // A small window, as a phone on a bad network has: the server's writes stop being accepted.
    socket.setReceiveBufferSize(16 * 1024);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port()), 5_000);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path(key) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
    out.flush();
    String head = RawHttp.readHead(socket.getInputStream());
    assertThat(head).startsWith("HTTP/1.1 200 ");
    return socket;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  HttpResponse<byte[]> get(String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(app.uri(path(key))).timeout(Duration.ofSeconds(20)).build(),
        BodyHandlers.ofByteArray());
  }

  /** Waits until every stalled client's S3 body was released and the relay moved no more. */
  void awaitReleased(int clients) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long before;
    do {
      before = relay.bytesFromServer();
      Thread.sleep(STALL.toMillis() * 3);
    } while (relay.bytesFromServer() != before && System.nanoTime() < deadline);
    assertThat(relay.bytesFromServer()).isEqualTo(before);
  }

  @Test
  void clientsThatStopReadingHoldNeitherAThreadNorAnS3Connection() throws Exception {
    int stalled = 100;
    start(4, 20, WriteMode.NON_BLOCKING);
    int idleThreads = app.busyThreads();
    for (int i = 0; i < stalled; i++) {
      stalledClient("large.bin");
    }
    awaitReleased(stalled);

    // A normal client is served at once, through the same 20 threads and 4 S3 connections.
    long start = System.nanoTime();
    HttpResponse<byte[]> normal = get("small.bin");
    assertThat(normal.statusCode()).isEqualTo(200);
    assertThat(normal.body()).isEqualTo(Arrays.copyOf(large, 4096));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(app.busyThreads()).isLessThanOrEqualTo(idleThreads + 1);

    System.out.printf("bytes from S3 per stalled client: %d%n", relay.bytesFromServer() / stalled);

    // When they read again, every download resumes and ends byte-exact.
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> bodies = new ArrayList<>();
      for (Socket socket : sockets) {
        bodies.add(readers.submit(() -> readToTheEnd(socket, LARGE)));
      }
      String expected = sha256(large);
      for (Future<byte[]> body : bodies) {
        assertThat(sha256(body.get())).isEqualTo(expected);
      }
    } finally {
      readers.shutdownNow();
    }
    assertThat(app.events()).extracting(S3RedirectEvent::outcome).containsOnly(Outcome.SERVED);
  }

  /** Reads exactly {@code length} body bytes after the head already read. */
  static byte[] readToTheEnd(Socket socket, int length) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] body = in.readNBytes(length);
    assertThat(body).hasSize(length);
    return body;
  }

  @Test
  void anObjectChangedDuringTheStallCutsTheResponseShortNeverSplices() throws Exception {
    start(4, 20, WriteMode.NON_BLOCKING);
    Socket socket = stalledClient("large.bin");
    awaitReleased(1);
    byte[] other = new byte[LARGE];
    new Random(14).nextBytes(other);
    put("large.bin", other);

    long received = RawHttp.countToTheEnd(socket.getInputStream());

    assertThat(received).isLessThan(LARGE);
    awaitEvent(Outcome.UPSTREAM_FAILED_AFTER_COMMIT);
  }

  @Test
  void aClientThatGoesAwayWhileStalledFreesEverything() throws Exception {
    start(2, 20, WriteMode.NON_BLOCKING);
    int idleThreads = app.busyThreads();
    for (int i = 0; i < 10; i++) {
      stalledClient("large.bin");
    }
    awaitReleased(10);
    for (Socket socket : sockets) {
      socket.setSoLinger(true, 0);
      socket.close();
    }
    sockets.clear();
    awaitEvents(Outcome.CLIENT_ABORTED, 10);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (app.busyThreads() > idleThreads) {
      assertThat(System.nanoTime()).as("a container thread stays busy").isLessThan(deadline);
      Thread.sleep(20);
    }
    // Both pooled S3 connections are free again: two downloads at once succeed.
    assertThat(get("large.bin").body()).hasSize(LARGE);
  }

  void awaitEvent(Outcome outcome) throws InterruptedException {
    awaitEvents(outcome, 1);
  }

  void awaitEvents(Outcome outcome, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(70).toNanos();
    while (app.events().stream().filter(e -> e.outcome() == outcome).count() < count) {
      assertThat(System.nanoTime()).as("events: " + app.events()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
