package dev.s3redirect.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A single-node Ceph RADOS Gateway on loopback ({@code src/test/rgw/start-rgw.sh}): a second S3
 * implementation, one that enforces customer-provided keys (SSE-C). One gateway serves every test
 * of the JVM: it starts on first use (about 13 s) and its daemons are stopped by process id when
 * the JVM exits.
 *
 * <p>Needs the Debian packages {@code radosgw ceph-mon ceph-osd}. Without them the tests that use
 * it are skipped and say why, unless the environment variable {@code S3_REDIRECT_REQUIRE_RGW} is
 * set (as {@code .ci/run} does after installing them): then they fail.
 */
public final class RgwBackend implements S3Backend {

  private static final Path SCRIPT = Path.of("src/test/rgw/start-rgw.sh").toAbsolutePath();
  private static RgwBackend shared;

  private final URI endpoint;
  private final Path directory;

  private RgwBackend(URI endpoint, Path directory) {
    this.endpoint = endpoint;
    this.directory = directory;
  }

  /**
   * Returns the JVM's gateway, starting it on first use; skips the calling test when the gateway
   * cannot run here and is not required.
   */
  public static synchronized RgwBackend shared() {
    if (shared == null) {
      boolean installed = onPath("radosgw") && onPath("ceph-mon") && onPath("ceph-osd");
      if (!installed && System.getenv("S3_REDIRECT_REQUIRE_RGW") != null) {
        throw new IllegalStateException(
            "S3_REDIRECT_REQUIRE_RGW is set but radosgw, ceph-mon or ceph-osd is missing");
      }
      assumeTrue(
          installed,
          "Ceph RGW is not installed (apt-get install radosgw ceph-mon ceph-osd): skipped");
      shared = start();
    }
    return shared;
  }

  /**
   * Starts a gateway; when the script fails (it has already retried once on its port), tries once
   * more in a fresh directory on another port, then fails with what the script said.
   */
  private static RgwBackend start() {
    String failures = "";
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        Path directory = Files.createTempDirectory("s3-redirect-rgw");
        int port = freePort();
        RgwBackend backend =
            new RgwBackend(URI.create("http://127.0.0.1:" + port), directory.resolve("d"));
        Runtime.getRuntime().addShutdownHook(new Thread(backend::stopDaemons, "rgw-stop"));
        Process process =
            new ProcessBuilder(
                    "bash", SCRIPT.toString(), directory.resolve("d").toString(), "" + port)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("start.log").toFile())
                .start();
        if (process.waitFor(240, TimeUnit.SECONDS) && process.exitValue() == 0) {
          return backend;
        }
        process.destroyForcibly();
        failures +=
            "\nattempt "
                + attempt
                + " on port "
                + port
                + ":\n"
                + Files.readString(directory.resolve("start.log"), StandardCharsets.UTF_8);
        backend.stopDaemons();
      } catch (IOException e) {
        failures += "\nattempt " + attempt + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while RGW started", e);
      }
    }
    throw new IllegalStateException("RGW did not start:" + failures);
  }

  /**
   * A port that is free, with the monitor's (port + 390) and the daemons' range (port + 400 to port
   * + 499) as the script lays them out.
   */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (free(port) && free(port + 390) && rangeFree(port + 400, port + 499)) {
        return port;
      }
    }
    throw new IOException("no free port range for RGW");
  }

  private static boolean rangeFree(int first, int last) {
    for (int port = first; port <= last; port++) {
      if (!free(port)) {
        return false;
      }
    }
    return true;
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Kills the daemons by the process ids they wrote, then removes their files. */
  private void stopDaemons() {
    try (Stream<Path> pids = Files.list(directory.resolve("run"))) {
      List<Path> files = pids.filter(f -> f.toString().endsWith(".pid")).toList();
      for (Path file : files) {
        long pid = Long.parseLong(Files.readString(file).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      }
      Thread.sleep(500);
      try (Stream<Path> all = Files.walk(directory.getParent())) {
        for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Exiting anyway: nothing better to do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String accessKey() {
    return "AKIDRGW";
  }

  @Override
  public String secretKey() {
    return "secretRGW";
  }

  @Override
  public boolean notModifiedCarriesEntityTag() {
    return false;
  }

  /**
   * The default client, without aws-chunked uploads: RGW answers 400 to an empty object sent
   * chunked.
   */
  @Override
  public S3ClientBuilder clientBuilder(URI endpoint) {
    return S3Backend.super
        .clientBuilder(endpoint)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
  }

  /** Does nothing: the gateway serves the JVM's other tests too, and stops when the JVM exits. */
  @Override
  public void close() {}
}
