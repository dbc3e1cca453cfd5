package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.S3RedirectSettings.WriteMode;
import dev.s3redirect.embedded.H2cProbe;
import dev.s3redirect.embedded.RawHttp;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.testing.LogCapture;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.ScriptedObjectStore;
import dev.s3redirect.testing.ScriptedObjectStore.ScriptedBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A download the filter cuts short fails visibly on HTTP/2 as on HTTP/1.1, on Jetty: the stream is
 * reset ({@code RST_STREAM}) and never ended ({@code END_STREAM}), a client that does not check
 * {@code Content-Length} itself (the JDK's) sees an error, the connection keeps serving other
 * streams, and the log has the filter's one WARN and nothing else.
 */
@Timeout(60)
class Http2TruncationIT {

  static final int LENGTH = 4 * 1024 * 1024;
  static final String TAG = "\"v1\"";
  static final byte[] OBJECT = new byte[LENGTH];

  static {
    new Random(17).nextBytes(OBJECT);
  }

  static ObjectMetadata metadata(String tag) {
    return new ObjectMetadata(
        LENGTH, tag, Instant.parse("2026-01-02T03:04:05Z"), null, null, null, null, null, null);
  }

  static String path(String key) {
    return "/app/x?redirect=" + URLEncoder.encode(S3Location.of("m", key).toHeaderValue(), UTF_8);
  }

  /**
   * What the filter's store answers: the object cut off after 1 MiB, or a part of another version.
   */
  enum Fault {
    BODY_FAILS_AFTER_ONE_MIB(
        store -> store.get(ScriptedBody.whole(metadata(TAG), OBJECT).failingAfter(1024 * 1024)),
        new String[0]),
    OBJECT_CHANGES_BETWEEN_PARTS(
        store ->
            store
                .head(metadata(TAG))
                .get(ScriptedBody.part(metadata(TAG), OBJECT, new ByteRange(0, 1_999_999)))
                .get(new GetResult.PreconditionFailed()),
        new String[] {"Range", "bytes=0-1999999,3000000-3999999"});

    final Consumer<ScriptedObjectStore> script;
    final String[] headers;

    Fault(Consumer<ScriptedObjectStore> script, String[] headers) {
      this.script = script;
      this.headers = headers;
    }
  }

  /**
   * Runs {@code check} against an app whose store answers once with the fault, then a tiny object.
   */
  void withFault(Fault fault, WriteMode mode, Check check) throws Exception {
    ScriptedObjectStore store = new ScriptedObjectStore();
    fault.script.accept(store);
    store.get(ScriptedBody.whole(tiny(), "ok".getBytes(UTF_8)));
    try (LogCapture logs = LogCapture.ofEverything();
        RedirectingApp app =
            new RedirectingApp(
                store, S3RedirectSettings.builder().allow("m").writeMode(mode).build())) {
      check.run(app);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (app.events().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(app.events())
          .extracting(S3RedirectEvent::outcome)
          .containsExactly(Outcome.UPSTREAM_FAILED_AFTER_COMMIT, Outcome.SERVED);
      assertThat(logs.atOrAbove(Level.WARN))
          .singleElement()
          .asString()
          .startsWith("WARN dev.s3redirect.S3RedirectFilter ")
          .contains("cut the 20");
    }
  }

  static ObjectMetadata tiny() {
    return new ObjectMetadata(2, "\"t\"", null, null, null, null, null, null, null);
  }

  @FunctionalInterface
  interface Check {
    void run(RedirectingApp app) throws Exception;
  }

  @ParameterizedTest(name = "{0}, {1} writes: RST_STREAM after prior knowledge, then a new stream")
  @EnumSource(Fault.class)
  void resetsTheStreamOverPriorKnowledge(Fault fault) throws Exception {
    for (WriteMode mode : WriteMode.values()) {
      withFault(fault, mode, app -> assertReset(app, fault, false));
    }
  }

  @ParameterizedTest(name = "{0}: RST_STREAM after an h2c upgrade, in both write modes")
  @EnumSource(Fault.class)
  void resetsTheStreamAfterAnUpgrade(Fault fault) throws Exception {
    for (WriteMode mode : WriteMode.values()) {
      withFault(fault, mode, app -> assertReset(app, fault, true));
    }
  }

  private static void assertReset(RedirectingApp app, Fault fault, boolean upgrade)
      throws IOException {
    String[] headers = fault.headers.clone();
    for (int i = 0; i < headers.length; i += 2) {
      headers[i] = headers[i].toLowerCase(java.util.Locale.ROOT);
    }
    H2cProbe.Result result =
        H2cProbe.get(app.port(), path("o.bin"), path("tiny.txt"), upgrade, headers);
    assertThat(result.reset()).as("RST_STREAM on the cut stream: " + result).isNotNull();
    assertThat(result.endStream()).as("END_STREAM on the cut stream: " + result).isFalse();
    assertThat(result.dataBytes()).isLessThan(LENGTH);
    assertThat(result.goAway()).isNull();
    assertThat(result.secondStream()).isEqualTo("complete");
  }

  @ParameterizedTest(name = "{0}: the JDK client over HTTP/2 sees an error, in both write modes")
  @EnumSource(Fault.class)
  void aClientThatDoesNotCheckTheLengthSeesAnError(Fault fault) throws Exception {
    for (WriteMode mode : WriteMode.values()) {
      withFault(
          fault,
          mode,
          app -> {
            HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpRequest.Builder request =
                HttpRequest.newBuilder(app.uri(path("o.bin"))).timeout(Duration.ofSeconds(20));
            for (int i = 0; i < fault.headers.length; i += 2) {
              request.header(fault.headers[i], fault.headers[i + 1]);
            }
            assertThatThrownBy(() -> h2.send(request.build(), BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class);
            HttpResponse<String> next =
                h2.send(
                    HttpRequest.newBuilder(app.uri(path("tiny.txt"))).build(),
                    BodyHandlers.ofString());
            assertThat(next.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(next.body()).isEqualTo("ok");
          });
    }
  }

  @ParameterizedTest(name = "{0}: HTTP/1.1 ends the connection before Content-Length, both modes")
  @EnumSource(Fault.class)
  void http11EndsTheConnectionShort(Fault fault) throws Exception {
    for (WriteMode mode : WriteMode.values()) {
      withFault(
          fault,
          mode,
          app -> {
            String[] lines = new String[fault.headers.length / 2];
            for (int i = 0; i < fault.headers.length; i += 2) {
              lines[i / 2] = fault.headers[i] + ": " + fault.headers[i + 1];
            }
            long announced;
            long received;
            try (Socket socket = RawHttp.get(app.port(), path("o.bin"), lines)) {
              InputStream in = socket.getInputStream();
              String head = RawHttp.readHead(in);
              announced =
                  Long.parseLong(head.replaceAll("(?s).*\r\nContent-Length: (\\d+)\r\n.*", "$1"));
              received = RawHttp.countToTheEnd(in);
            }
            assertThat(received).isLessThan(announced);
            HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThat(
                    h1.send(
                            HttpRequest.newBuilder(app.uri(path("tiny.txt"))).build(),
                            BodyHandlers.ofString())
                        .body())
                .isEqualTo("ok");
          });
    }
  }
}
