package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.embedded.RawHttp;
import dev.s3redirect.store.CustomerKey;
import dev.s3redirect.store.CustomerKeyProvider;
import dev.s3redirect.testing.CountingStore;
import dev.s3redirect.testing.Engine;
import dev.s3redirect.testing.LogCapture;
import dev.s3redirect.testing.Multipart;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.RgwBackend;
import dev.s3redirect.testing.StoreOptions;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.utils.Md5Utils;

/**
 * Objects encrypted with customer-provided keys (SSE-C) on Ceph RGW, which enforces them: served
 * with the key on both engines, refused without it or with another, and the key never in a log
 * line, an event or a response.
 */
@TestInstance(Lifecycle.PER_CLASS)
class CustomerKeysIT {

  private static final String BUCKET = "sealed";
  private static final String KEY = "reports/q3.bin";
  private static final String PLAIN = "reports/plain.txt";
  private static final String LARGE = "reports/large.bin";
  private static final byte[] RIGHT = key(11);
  private static final byte[] WRONG = key(12);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private RgwBackend rgw;
  private S3Client admin;
  private byte[] object;
  private byte[] large;

  @BeforeAll
  void storeTheObjects() {
    rgw = RgwBackend.shared();
    admin = rgw.clientBuilder(rgw.endpoint()).build();
    try {
      admin.createBucket(b -> b.bucket(BUCKET));
    } catch (BucketAlreadyOwnedByYouException shared) {
      // The gateway serves other tests too.
    }
    object = new byte[300_000];
    new Random(3).nextBytes(object);
    admin.putObject(
        b ->
            b.bucket(BUCKET)
                .key(KEY)
                .contentType("application/x-report")
                .sseCustomerAlgorithm("AES256")
                .sseCustomerKey(Base64.getEncoder().encodeToString(RIGHT))
                .sseCustomerKeyMD5(Md5Utils.md5AsBase64(RIGHT)),
        RequestBody.fromBytes(object));
    admin.putObject(b -> b.bucket(BUCKET).key(PLAIN), RequestBody.fromString("not sealed"));
    large = new byte[8 * 1024 * 1024];
    new Random(5).nextBytes(large);
    admin.putObject(
        b ->
            b.bucket(BUCKET)
                .key(LARGE)
                .sseCustomerAlgorithm("AES256")
                .sseCustomerKey(Base64.getEncoder().encodeToString(RIGHT))
                .sseCustomerKeyMD5(Md5Utils.md5AsBase64(RIGHT)),
        RequestBody.fromBytes(large));
  }

  @AfterAll
  void closeTheClient() {
    admin.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyRequestOfAnExchangeCarriesTheKeyAndNothingElseShowsIt(Engine engine) throws Exception {
    List<String> seen = new ArrayList<>();
    CustomerKey right = CustomerKey.aes256(RIGHT);
    CustomerKey wrong = CustomerKey.aes256(WRONG);
    try (LogCapture logs = LogCapture.ofEverythingAtDebug()) {
      try (App app =
          new App(engine, location -> Optional.of(right).filter(k -> sealed(location)))) {
        HttpResponse<byte[]> full = app.send("GET", KEY);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(object);

        HttpResponse<byte[]> head = app.send("HEAD", KEY);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("300000");

        // Three parts: each is a GetObject of its own, each needs the key.
        HttpResponse<byte[]> parts =
            app.send("GET", KEY, "Range", "bytes=0-9,100000-100009,299990-");
        assertThat(parts.statusCode()).isEqualTo(206);
        String type = parts.headers().firstValue("Content-Type").orElseThrow();
        assertThat(Multipart.parse(type, parts.body()))
            .extracting(Multipart.Part::body)
            .containsExactly(
                Arrays.copyOfRange(object, 0, 10),
                Arrays.copyOfRange(object, 100_000, 100_010),
                Arrays.copyOfRange(object, 299_990, 300_000));

        String tag = head.headers().firstValue("ETag").orElseThrow();
        assertThat(app.send("GET", KEY, "If-None-Match", tag).statusCode()).isEqualTo(304);
        assertThat(app.send("GET", KEY, "If-Range", tag, "Range", "bytes=5-9").body())
            .isEqualTo(Arrays.copyOfRange(object, 5, 10));
        assertThat(app.send("GET", PLAIN).body()).isEqualTo("not sealed".getBytes(UTF_8));
        app.collect(seen);
      }
      try (App app = new App(engine, location -> Optional.of(wrong))) {
        assertThat(app.send("GET", KEY).statusCode()).isEqualTo(502);
        app.collect(seen);
      }
      seen.addAll(logs.all());
    }

    for (byte[] key : List.of(RIGHT, WRONG)) {
      for (String form :
          List.of(
              Base64.getEncoder().encodeToString(key),
              Md5Utils.md5AsBase64(key),
              HexFormat.of().formatHex(key),
              HexFormat.of().formatHex(Md5Utils.computeMD5Hash(key)))) {
        assertThat(seen).noneMatch(line -> line.contains(form));
      }
    }
    assertThat(String.join("\n", seen)).contains("s3://sealed/reports/q3.bin");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMissingOrWrongKeyIsA502AndAWarningThatNamesTheObject(Engine engine) throws Exception {
    try (LogCapture logs = LogCapture.ofTheFilter();
        App app = new App(engine, CustomerKeyProvider.NONE)) {
      HttpResponse<byte[]> get = app.send("GET", KEY);
      assertThat(get.statusCode()).isEqualTo(502);
      assertThat(new String(get.body(), UTF_8)).isEqualTo("Bad Gateway\n");
      assertThat(app.send("HEAD", KEY).statusCode()).isEqualTo(502);
      app.awaitEvents(2);
      assertThat(app.app.events())
          .extracting(S3RedirectEvent::outcome)
          .containsOnly(Outcome.UPSTREAM_FAILED);
      assertThat(logs.atOrAbove(Level.WARN))
          .hasSize(2)
          .allMatch(line -> line.contains("s3://sealed/reports/q3.bin: 502"))
          .allMatch(line -> line.contains("the request carried no customer key"));
    }
    CustomerKey wrong = CustomerKey.aes256(WRONG);
    try (LogCapture logs = LogCapture.ofTheFilter();
        App app = new App(engine, location -> Optional.of(wrong))) {
      assertThat(app.send("GET", KEY).statusCode()).isEqualTo(502);
      app.awaitEvents(1);
      assertThat(logs.atOrAbove(Level.WARN))
          .singleElement()
          .asString()
          .contains("s3://sealed/reports/q3.bin: 502")
          .contains("the request carried the customer key (SSE-C) the CustomerKeyProvider gave");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDownloadReleasedWhileItsClientStalledResumesWithTheKey(Engine engine) throws Exception {
    CustomerKey right = CustomerKey.aes256(RIGHT);
    S3RedirectSettings settings =
        S3RedirectSettings.builder().allow(BUCKET).stallTimeout(Duration.ofMillis(200)).build();
    try (CountingStore store =
            engine.open(
                rgw,
                rgw.endpoint(),
                StoreOptions.defaults()
                    .withCustomerKeys(location -> Optional.of(right).filter(k -> sealed(location)))
                    .withReceiveBufferSize(64 * 1024));
        RedirectingApp app = new RedirectingApp(store, settings);
        Socket socket = new Socket()) {
      // A small window, so that the server's writes stop being accepted while the client waits.
      socket.setReceiveBufferSize(16 * 1024);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port()), 5_000);
      socket.setSoTimeout(30_000);
      RawHttp.send(
          socket,
          "/app/x?redirect="
              + URLEncoder.encode(S3Location.of(BUCKET, LARGE).toHeaderValue(), UTF_8),
          "Connection: close");
      InputStream in = socket.getInputStream();
      assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 200 ");
      byte[] first = in.readNBytes(1024);
      Thread.sleep(1_500); // well past the stall timeout: the S3 body is released
      byte[] rest = RawHttp.readToTheEnd(in);

      byte[] whole = new byte[first.length + rest.length];
      System.arraycopy(first, 0, whole, 0, first.length);
      System.arraycopy(rest, 0, whole, first.length, rest.length);
      assertThat(whole).isEqualTo(large);
      // The resume is a GetObject of its own, pinned to the version, and carried the key.
      assertThat(store.requests()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aSignerThatWouldLogKeysIsWarnedOfOnce() throws Exception {
    CustomerKey right = CustomerKey.aes256(RIGHT);
    // The only test that sets the signer's logger to DEBUG: the warning, once per JVM, is its.
    try (LogCapture logs = LogCapture.ofTheFilter();
        App app = new App(Engine.LEAN, location -> Optional.of(right))) {
      logs.setLevel("software.amazon.awssdk.http.auth.aws.internal.signer", Level.DEBUG);
      assertThat(app.send("GET", KEY).statusCode()).isEqualTo(200);
      assertThat(app.send("GET", KEY).statusCode()).isEqualTo(200);
      app.awaitEvents(2);
      assertThat(logs.atOrAbove(Level.WARN))
          .singleElement()
          .asString()
          .contains("software.amazon.awssdk.http.auth.aws.internal.signer is at DEBUG")
          .contains("set it to INFO");
    }
  }

  private static boolean sealed(S3Location location) {
    return location.key().equals(KEY) || location.key().equals(LARGE);
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    new Random(seed).nextBytes(key);
    return key;
  }

  /** The filter reading RGW with the given keys; remembers every response it gave. */
  private final class App implements AutoCloseable {
    final CountingStore store;
    final RedirectingApp app;
    final List<HttpResponse<byte[]>> responses = new ArrayList<>();

    App(Engine engine, CustomerKeyProvider keys) throws Exception {
      store = engine.open(rgw, rgw.endpoint(), StoreOptions.defaults().withCustomerKeys(keys));
      app = new RedirectingApp(store, S3RedirectSettings.builder().allow(BUCKET).build());
    }

    HttpResponse<byte[]> send(String method, String key, String... headers) throws Exception {
      HttpRequest.Builder request = app.request(method, S3Location.of(BUCKET, key), headers);
      HttpResponse<byte[]> response = http.send(request.build(), BodyHandlers.ofByteArray());
      responses.add(response);
      return response;
    }

    /** Waits until the filter reported {@code count} exchanges: it logs just before. */
    void awaitEvents(int count) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (app.events().size() < count && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }

    /** Adds what the client and the listener saw: headers, bodies as text, events. */
    void collect(List<String> seen) throws InterruptedException {
      awaitEvents(responses.size());
      for (HttpResponse<byte[]> response : responses) {
        seen.add(response.headers().map().toString());
        seen.add(new String(response.body(), UTF_8));
      }
      app.events().forEach(event -> seen.add(event.toString()));
    }

    @Override
    public void close() {
      app.close();
      store.close();
    }
  }
}
