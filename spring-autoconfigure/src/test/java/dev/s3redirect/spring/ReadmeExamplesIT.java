package dev.s3redirect.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3Location;
import dev.s3redirect.S3RedirectFilter;
import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.embedded.EmbeddedS3Server;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.Context;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The README's Java examples, as written there, run in a real container (Tomcat, without Spring)
 * against a real S3-protocol server. Where the README leaves something to the reader (where S3 is,
 * who the user is), the test fills it in, marked as such.
 */
class ReadmeExamplesIT {
  static final String REPORT = "Quarterly report, streamed from S3.\n";

  static EmbeddedS3Server server;

  @BeforeAll
  static void startS3() {
    server = EmbeddedS3Server.start();
    try (S3Client admin = server.clientBuilder().build()) {
      admin.createBucket(b -> b.bucket("media"));
      admin.putObject(
          b -> b.bucket("media").key("reports/q3.pdf"), RequestBody.fromString(REPORT, UTF_8));
    }
  }

  @AfterAll
  static void stopS3() {
    server.close();
  }

  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
  private Tomcat tomcat;
  private Path baseDir;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
    FileSystemUtils.deleteRecursively(baseDir);
  }

  /** Not in the README: where this test's S3 is, and its credentials. */
  private static S3ClientBuilder thisTestsS3(S3ClientBuilder builder) {
    return builder
        .endpointOverride(server.endpoint())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.accessKey(), server.secretKey())));
  }

  /** "Quick start: a plain servlet application", the registration. */
  private void registerAsTheReadmeSays(ServletContext servletContext) {
    S3Client s3 =
        thisTestsS3(S3Client.builder())
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(200)
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(30)))
            .build();
    toClose.add(s3);
    S3RedirectSettings settings =
        S3RedirectSettings.builder().allow("media/reports/", "avatars").build();

    FilterRegistration.Dynamic filter =
        servletContext.addFilter("s3Redirect", new S3RedirectFilter(s3, settings));
    filter.setAsyncSupported(true);
    filter.addMappingForUrlPatterns(
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
  }

  record Report(String fileName) {}

  /** "Then, in any servlet or controller behind it". */
  static final class ReportServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Not in the README: the application's authorisation. */
    private static boolean mayRead(String user, Report report) {
      return "alice".equals(user);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String user = request.getParameter("user");
      Report report = new Report(request.getPathInfo().substring(1));

      if (!mayRead(user, report)) {
        response.sendError(403);
        return;
      }
      response.setHeader(
          "X-S3-Redirect", S3Location.of("media", "reports/" + report.fileName()).toHeaderValue());
      response.setHeader("Content-Disposition", "attachment; filename=\"report.pdf\""); // optional
    }
  }

  private int start(boolean withTheFilter) throws Exception {
    baseDir = Files.createTempDirectory("readme-tomcat-");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.getConnector().setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", baseDir.toString());
    if (context instanceof StandardContext standard) {
      // Leak detection needs JVM options this test does not use; it only warns about them.
      standard.setClearReferencesRmiTargets(false);
      standard.setClearReferencesThreadLocals(false);
    }
    context.addServletContainerInitializer(
        (classes, servletContext) -> {
          if (withTheFilter) {
            registerAsTheReadmeSays(servletContext);
          }
          servletContext.addServlet("reports", new ReportServlet()).addMapping("/reports/*");
        },
        null);
    tomcat.start();
    return tomcat.getConnector().getLocalPort();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            BodyHandlers.ofString());
  }

  @Test
  void thePlainServletQuickStartServesTheObject() throws Exception {
    int port = start(true);

    HttpResponse<String> response = get(port, "/reports/q3.pdf?user=alice");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(REPORT);
    assertThat(response.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"report.pdf\"");
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.equalsIgnoreCase("X-S3-Redirect"));
    assertThat(get(port, "/reports/q3.pdf?user=mallory").statusCode()).isEqualTo(403);
  }

  @Test
  void withoutTheFilterAPlainServletApplicationSendsTheHeaderAsItIs() throws Exception {
    int port = start(false);

    HttpResponse<String> response = get(port, "/reports/q3.pdf?user=alice");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("X-S3-Redirect"))
        .hasValue("s3://media/reports/q3.pdf");
  }

  /** "The S3 client": the customizer example. */
  S3RedirectClientCustomizer mediaProfile() {
    return builder -> builder.credentialsProvider(ProfileCredentialsProvider.create("media"));
  }

  @Test
  void theCustomizerExampleSetsTheProfile() {
    S3ClientBuilder builder = S3Client.builder().region(Region.US_EAST_1);
    mediaProfile().customize(builder);

    try (S3Client client = builder.build()) {
      assertThat(client.serviceClientConfiguration().credentialsProvider())
          .isInstanceOf(ProfileCredentialsProvider.class);
    }
  }
}
