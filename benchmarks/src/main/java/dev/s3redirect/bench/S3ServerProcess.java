package dev.s3redirect.bench;

import dev.s3redirect.embedded.EmbeddedS3Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The S3 server in a process of its own: {@link EmbeddedS3Main} (S3Proxy in memory, SigV4 checked)
 * in a child JVM on a fixed port of 127.0.0.1, with the benchmark's objects stored before it
 * reports ready. Its CPU is its own, so every path's S3 work is counted apart from the path.
 */
final class S3ServerProcess implements AutoCloseable {

  /** An object to store: its key, size and the seed of its content. */
  record ObjectSpec(String key, int size, long seed) {}

  private final Process process;
  private final int port;
  private final Map<String, String> digests;
  private final Path stderr;

  private S3ServerProcess(Process process, int port, Map<String, String> digests, Path stderr) {
    this.process = process;
    this.port = port;
    this.digests = digests;
    this.stderr = stderr;
  }

  static S3ServerProcess start(
      String java,
      String heap,
      int port,
      String accessKey,
      String secretKey,
      String bucket,
      List<ObjectSpec> objects)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx" + heap);
    command.add("-XX:+UseG1GC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EmbeddedS3Main.class.getName());
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--access-key",
            accessKey,
            "--secret-key",
            secretKey,
            "--bucket",
            bucket));
    for (ObjectSpec o : objects) {
      command.add("--object");
      command.add(o.key() + "=" + o.size() + ":" + o.seed());
    }
    Path err = Files.createTempFile("s3redirect-s3", ".err");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    Map<String, String> digests = new LinkedHashMap<>();
    int ready = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; ready == 0 && (line = in.readLine()) != null; ) {
        if (line.startsWith("OBJECT ")) {
          String[] f = line.split(" ");
          digests.put(f[1], f[3]);
        } else if (line.startsWith("READY ")) {
          ready = Integer.parseInt(line.substring(6).trim());
        }
        if (System.nanoTime() > deadline) {
          break;
        }
      }
    }
    if (ready == 0 || !p.isAlive()) {
      p.destroyForcibly();
      String tail = Files.exists(err) ? Files.readString(err) : "";
      throw new IllegalStateException("S3 server did not start: " + command + "\n" + tail);
    }
    // Its standard output is closed now: it prints nothing after READY.
    return new S3ServerProcess(p, ready, digests, err);
  }

  int port() {
    return port;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  long pid() {
    return process.pid();
  }

  /** SHA-256 (hex) of every stored object, by key. */
  Map<String, String> digests() {
    return digests;
  }

  /** User plus system CPU time of the server so far, in clock ticks, or -1. */
  long cpuTicks() {
    return SystemCpu.processTicks(Path.of("/proc/" + process.pid() + "/stat"));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(stderr);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a temp file left behind
    }
  }
}
