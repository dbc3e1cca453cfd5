package dev.s3redirect.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChildApp} in a JVM of its own: started, its {@code STAT} lines followed (peaks of heap
 * used, heap committed, live platform threads and busy request threads), its peak RSS read from
 * {@code /proc}, and killed on {@link #close()}. Standard error goes to a file; standard input
 * stays open, and the child exits when it ends (so it never outlives the harness).
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Path stderr;
  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicInteger port = new AtomicInteger();
  private final AtomicLong peakHeapUsed = new AtomicLong();
  private final AtomicLong peakHeapCommitted = new AtomicLong();
  private final AtomicInteger peakThreads = new AtomicInteger();
  private final AtomicLong lastHeapUsed = new AtomicLong();
  private final AtomicInteger busyThreads = new AtomicInteger();
  private final AtomicInteger peakBusyThreads = new AtomicInteger();

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader = new Thread(this::follow, "child-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code java <jvmArgs> -cp <this classpath> ChildApp <appArgs>} and waits until it
   * listens.
   */
  static ChildJvm start(String java, List<String> jvmArgs, List<String> appArgs)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildApp.class.getName());
    command.addAll(appArgs);
    Path err = Files.createTempFile("s3redirect-child", ".err");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    ChildJvm child = new ChildJvm(p, err);
    if (!child.started.await(60, TimeUnit.SECONDS) || child.port.get() == 0) {
      child.kill();
      throw new IllegalStateException(
          "child JVM did not start: " + command + "\n" + child.stderrTail(20));
    }
    return child;
  }

  private void follow() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("PORT ")) {
          port.set(Integer.parseInt(line.substring(5).trim()));
          started.countDown();
        } else if (line.startsWith("STAT ")) {
          String[] f = line.split(" ");
          long used = Long.parseLong(f[1]);
          lastHeapUsed.set(used);
          peakHeapUsed.accumulateAndGet(used, Math::max);
          peakHeapCommitted.accumulateAndGet(Long.parseLong(f[2]), Math::max);
          peakThreads.accumulateAndGet(Integer.parseInt(f[3]), Math::max);
          if (f.length > 4) {
            int busy = Integer.parseInt(f[4]);
            busyThreads.set(busy);
            peakBusyThreads.accumulateAndGet(busy, Math::max);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the child is gone; what was read stays
    } finally {
      started.countDown();
    }
  }

  int port() {
    return port.get();
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  long peakHeapUsed() {
    return peakHeapUsed.get();
  }

  long peakHeapCommitted() {
    return peakHeapCommitted.get();
  }

  int peakThreads() {
    return peakThreads.get();
  }

  /** Busy request threads of Jetty's pool, as last reported (every 200 ms). */
  int busyThreads() {
    return busyThreads.get();
  }

  int peakBusyThreads() {
    return peakBusyThreads.get();
  }

  /** Resets the peaks, e.g. after start-up. */
  void resetPeaks() {
    peakHeapUsed.set(0);
    peakHeapCommitted.set(0);
    peakThreads.set(0);
    peakBusyThreads.set(0);
  }

  /** Requests the filter (or the read-into-memory servlet) sent to S3 so far. */
  long s3Requests() throws IOException {
    java.net.HttpURLConnection c =
        (java.net.HttpURLConnection)
            java.net
                .URI
                .create("http://127.0.0.1:" + port() + "/_bench/stats")
                .toURL()
                .openConnection();
    c.setConnectTimeout(5_000);
    c.setReadTimeout(5_000);
    try (java.io.InputStream in = c.getInputStream()) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.startsWith("s3Requests=")) {
          return Long.parseLong(line.substring("s3Requests=".length()).trim());
        }
      }
    }
    throw new IOException("no s3Requests in /_bench/stats");
  }

  /** A field of {@code /proc/<pid>/status} in KiB (VmHWM is the peak RSS), or -1. */
  long statusKiB(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** User plus system CPU time of the child so far, in clock ticks, or -1. */
  long cpuTicks() {
    return SystemCpu.processTicks(Path.of("/proc/" + process.pid() + "/stat"));
  }

  /** How many lines of the child's standard error contain {@code text}. */
  long stderrCount(String text) {
    try (var lines = Files.lines(stderr, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  /** The first line of the child's standard error containing {@code text}, or null. */
  String firstStderrLine(String text) {
    try (var lines = Files.lines(stderr, StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> l.contains(text)).findFirst().orElse(null);
    } catch (IOException | java.io.UncheckedIOException e) {
      return null;
    }
  }

  String stderrTail(int lines) {
    try {
      List<String> all = Files.readAllLines(stderr, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException e) {
      // a temp file left behind
    }
  }

  /** Ends the child (SIGTERM, then SIGKILL after 10 s) and waits for it; idempotent. */
  void kill() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
