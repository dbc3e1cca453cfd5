package dev.s3redirect.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectListener;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.embedded.EmbeddedS3Server;
import dev.s3redirect.store.ObjectStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * On Tomcat, a controller answering with {@link S3Redirects} never sends the redirect header to the
 * client when no s3-redirect filter consumes it (disabled, listening for another name, replaced by
 * a disabled registration, absent, not applied to the dispatch): the client gets a generic 500 and
 * the log one ERROR naming the cause. With the filter active the guard never fires, and responses
 * without the header pass through it unbuffered.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedirectHeaderGuardIT {
  static final String BUCKET = "guarded";
  static final String TEXT = "Streamed by the filter.\n";

  static EmbeddedS3Server s3;

  @BeforeAll
  static void startS3() {
    s3 = EmbeddedS3Server.start();
    try (S3Client admin = s3.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket(BUCKET));
      admin.putObject(b -> b.bucket(BUCKET).key("a.txt"), RequestBody.fromString(TEXT, UTF_8));
    }
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Controllers.class)
  static class App {
    @Bean
    S3RedirectClientCustomizer embeddedS3Credentials() {
      return EmbeddedS3Credentials.of(s3);
    }
  }

  /** The application's own registration of the filter, replacing the auto-configuration's. */
  @Configuration(proxyBeanMethods = false)
  static class OwnRegistration {
    @Bean
    FilterRegistrationBean<S3RedirectFilter> ownS3RedirectFilter(
        ObjectStore store, S3RedirectSettings settings, Environment environment) {
      var registration =
          new FilterRegistrationBean<>(
              new S3RedirectFilter(store, settings, S3RedirectListener.NONE));
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
      registration.setAsyncSupported(true);
      // The guard's own order: which of the two wraps the other is up to the container.
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      registration.setEnabled(
          environment.getProperty("own-registration.enabled", "true").equals("true"));
      return registration;
    }
  }

  @RestController
  static class Controllers {
    static final S3Location OBJECT = S3Location.of(BUCKET, "a.txt");
    static final CountDownLatch SECOND_PART = new CountDownLatch(1);

    @GetMapping("/sync")
    ResponseEntity<Void> sync() {
      return S3Redirects.to(OBJECT);
    }

    @GetMapping("/deferred")
    DeferredResult<ResponseEntity<Void>> deferred() {
      DeferredResult<ResponseEntity<Void>> result = new DeferredResult<>(10_000L);
      CompletableFuture.runAsync(() -> result.setResult(S3Redirects.to(OBJECT)));
      return result;
    }

    @GetMapping("/future")
    CompletableFuture<ResponseEntity<Void>> future() {
      return CompletableFuture.supplyAsync(() -> S3Redirects.to(OBJECT));
    }

    @GetMapping("/plain")
    ResponseEntity<String> plain() {
      return ResponseEntity.status(201).header("X-Custom", "kept").body("the application's own");
    }

    /** Sends a first part and waits for the client to have read it before sending the rest. */
    @GetMapping("/stream")
    void stream(HttpServletResponse response) throws IOException, InterruptedException {
      response.setContentType("text/plain");
      OutputStream out = response.getOutputStream();
      out.write("first part\n".getBytes(UTF_8));
      out.flush();
      if (!SECOND_PART.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the client never read the first part");
      }
      out.write("second part\n".getBytes(UTF_8));
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<ConfigurableApplicationContext> started = new ArrayList<>();
  private int port;

  private void start(Class<?>[] sources, String... properties) {
    List<String> all = new ArrayList<>(List.of(properties));
    all.add("server.port=0");
    all.add("server.address=127.0.0.1");
    all.add("logging.level.org.gaul=WARN");
    all.add("s3-redirect.s3.endpoint=" + s3.endpoint());
    all.add("s3-redirect.s3.path-style=true");
    all.add("s3-redirect.s3.checksums=when-required");
    all.add("s3-redirect.s3.region=us-east-1");
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(sources)
            .web(WebApplicationType.SERVLET)
            .properties(all.toArray(String[]::new))
            .run();
    started.add(context);
    port = context.getEnvironment().getProperty("local.server.port", Integer.class);
  }

  private void start(String... properties) {
    start(new Class<?>[] {App.class}, properties);
  }

  @AfterEach
  void stop() {
    started.forEach(ConfigurableApplicationContext::close);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        BodyHandlers.ofString());
  }

  private static void assertGeneric500(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("Internal Server Error\n");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.equalsIgnoreCase("X-S3-Redirect"));
  }

  /** The ERROR lines the guard logged about {@code path}. */
  private static List<String> guardErrors(CapturedOutput output, String path) {
    return output
        .getOut()
        .lines()
        .filter(line -> line.contains("ERROR"))
        .filter(line -> line.contains("X-S3-Redirect set by GET " + path + " "))
        .toList();
  }

  @Nested
  class WithTheFilterDisabled {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/sync", "/deferred", "/future"})
    void theHeaderBecomesA500AndOneErrorNamesTheSetting(String path, CapturedOutput output)
        throws Exception {
      start("s3-redirect.enabled=false");

      assertGeneric500(get(path));
      assertThat(guardErrors(output, path))
          .singleElement()
          .asString()
          .contains(
              "X-S3-Redirect set by GET "
                  + path
                  + " but s3-redirect is disabled (s3-redirect.enabled=false)");
    }

    @Test
    void responsesWithoutTheHeaderPassThroughUntouched(CapturedOutput output) throws Exception {
      start("s3-redirect.enabled=false");

      HttpResponse<String> response = get("/plain");

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.headers().firstValue("X-Custom")).hasValue("kept");
      assertThat(response.body()).isEqualTo("the application's own");
      assertThat(output.getOut()).doesNotContain("set by GET");
    }

    @Test
    void responsesWithoutTheHeaderAreNotBuffered() throws Exception {
      start("s3-redirect.enabled=false");

      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stream"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        // The controller sends the rest only once this part has reached the client.
        assertThat(new String(body.readNBytes("first part\n".length()), UTF_8))
            .isEqualTo("first part\n");
        Controllers.SECOND_PART.countDown();
        assertThat(new String(body.readAllBytes(), UTF_8)).isEqualTo("second part\n");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/sync", "/deferred", "/future"})
  void withAnotherHeaderNameOneErrorNamesTheNameTheFilterListensFor(
      String path, CapturedOutput output) throws Exception {
    start("s3-redirect.allow=" + BUCKET, "s3-redirect.header-name=X-Other");

    assertGeneric500(get(path));
    assertThat(guardErrors(output, path))
        .singleElement()
        .asString()
        .contains("but the s3-redirect filter listens for X-Other (s3-redirect.header-name)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/sync", "/deferred", "/future"})
  void withTheFilterActiveTheGuardNeverFires(String path, CapturedOutput output) throws Exception {
    start("s3-redirect.allow=" + BUCKET);

    HttpResponse<String> response = get(path);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(TEXT);
    assertThat(output.getOut()).doesNotContain("set by GET");
  }

  @Test
  void withTheApplicationsOwnRegistrationOrderedLikeTheGuardTheObjectIsServed(CapturedOutput output)
      throws Exception {
    start(new Class<?>[] {App.class, OwnRegistration.class}, "s3-redirect.allow=" + BUCKET);

    for (String path : List.of("/sync", "/deferred", "/future")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).isEqualTo(TEXT);
    }
    assertThat(output.getOut()).doesNotContain("set by GET");
  }

  @Test
  void withTheApplicationsOwnRegistrationDisabledOneErrorSaysSo(CapturedOutput output)
      throws Exception {
    start(
        new Class<?>[] {App.class, OwnRegistration.class},
        "s3-redirect.allow=" + BUCKET,
        "own-registration.enabled=false");

    assertGeneric500(get("/sync"));
    assertThat(guardErrors(output, "/sync"))
        .singleElement()
        .asString()
        .contains("but the s3-redirect filter's registration is disabled");
  }

  @Test
  void withoutAnyFilterOneErrorSaysNoneIsRegistered(CapturedOutput output) throws Exception {
    start(
        "s3-redirect.allow=" + BUCKET,
        "spring.autoconfigure.exclude=dev.s3redirect.spring.S3RedirectAutoConfiguration");

    assertGeneric500(get("/future"));
    assertThat(guardErrors(output, "/future"))
        .singleElement()
        .asString()
        .contains("but no s3-redirect filter is registered");
  }

  @Test
  void withTheFilterLeftOffAsyncDispatchesOneErrorNamesTheDispatch(CapturedOutput output)
      throws Exception {
    start("s3-redirect.allow=" + BUCKET, "s3-redirect.filter.dispatcher-types=request");

    assertThat(get("/sync").body()).isEqualTo(TEXT);
    assertGeneric500(get("/deferred"));
    assertThat(guardErrors(output, "/deferred"))
        .singleElement()
        .asString()
        .contains("does not handle this ASYNC dispatch")
        .contains("dispatcher types [request]");
    assertThat(guardErrors(output, "/sync")).isEmpty();
  }
}
