package dev.s3redirect.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Adobe S3Mock, an S3 implementation that stores checksums (which neither S3Proxy nor the Ceph RGW
 * of Debian 12 does), run from its executable jar in a JVM of its own beside the test JVM, on
 * loopback, and stopped by its process id. Maven copies the jar ({@code s3mock.jar}); it accepts
 * any credentials.
 */
public final class S3MockBackend implements S3Backend {

  private final Process process;
  private final URI endpoint;

  /**
   * Starts S3Mock and waits until it answers.
   *
   * @throws IllegalStateException if the jar is missing or S3Mock does not answer within 60 s
   */
  public S3MockBackend() {
    String jar = System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "S3Mock's jar is missing at " + jar + ": run the tests through Maven (mvn verify)");
    }
    int http = freePort();
    int https = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      java,
                      "-Xmx256m",
                      "-XX:TieredStopAtLevel=1",
                      "-jar",
                      jar,
                      "--http.port=" + http,
                      "--server.port=" + https,
                      "--server.address=127.0.0.1",
                      "--spring.main.banner-mode=off",
                      "--logging.level.root=WARN"))
              .redirectErrorStream(true)
              .redirectOutput(Path.of(jar).resolveSibling("s3mock-" + http + ".log").toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start S3Mock", e);
    }
    endpoint = URI.create("http://127.0.0.1:" + http);
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    awaitAnswer();
  }

  private void awaitAnswer() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Mock exited with " + process.exitValue());
      }
      try {
        client.send(
            HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2)).build(),
            BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("S3Mock did not answer on " + endpoint + " within 60 s");
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String accessKey() {
    return "AKIDS3MOCK";
  }

  @Override
  public String secretKey() {
    return "s3mock-accepts-any-secret";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
