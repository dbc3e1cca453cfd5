package dev.s3redirect.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The workloads that run an application in a child JVM ({@link ChildJvm}) of their own: many large
 * downloads at {@code -Xmx64m}, 1,000 slow clients on virtual or platform threads, and a JFR
 * profile of each engine under the small-object load.
 */
final class ChildWorkloads {

  private static final long MIB = 1024 * 1024;

  /** What a child needs to reach the S3 server. */
  record S3Access(String endpoint, String accessKey, String secretKey, String bucket) {
    /** {@link ChildApp}'s arguments for an application of {@code kind}, then {@code extra}. */
    List<String> args(
        String kind, String engine, int pool, int buffer, String threads, String... extra) {
      List<String> a = new ArrayList<>();
      a.add("kind=" + kind);
      a.add("s3=" + endpoint);
      a.add("access=" + accessKey);
      a.add("secret=" + secretKey);
      a.add("bucket=" + bucket);
      a.add("engine=" + engine);
      a.add("pool=" + pool);
      a.add("buffer=" + buffer);
      a.add("threads=" + threads);
      a.addAll(List.of(extra));
      return a;
    }
  }

  /** The send buffer of the slow-client child's accepted connections, in bytes. */
  static final int SLOW_SEND_BUFFER = 32 * 1024;

  private final S3Access s3;
  private final String java17;

  ChildWorkloads(S3Access s3) {
    this.s3 = s3;
    this.java17 = ProcessHandle.current().info().command().orElse("java");
  }

  // ---------------------------------------------------------------- heap and RSS at -Xmx64m

  /** Outcome of one many-downloads run. */
  record BulkOutcome(
      String app,
      String engine,
      int clients,
      int ok,
      int failed,
      Map<String, Integer> failures,
      double seconds,
      long peakHeapUsed,
      long peakHeapCommitted,
      long vmHwmKiB,
      long oomLines,
      long requestFailures,
      String firstFailure,
      boolean aliveAtEnd,
      double mibPerSecond) {}

  /**
   * {@code clients} concurrent GETs of the large object from a child at -Xmx64m, each body read to
   * the end and its SHA-256 compared; bounded by {@code limitSeconds}.
   */
  BulkOutcome bulk(
      String kind,
      String engine,
      String key,
      String digest,
      long size,
      int clients,
      int limitSeconds)
      throws Exception {
    String prefix = "filter".equals(kind) ? "/app/" : "/mem/";
    try (ChildJvm child =
        ChildJvm.start(
            java17,
            List.of("-Xmx64m", "-XX:+UseG1GC"),
            s3.args(kind, engine, Math.max(100, clients + 10), 64 * 1024, "platform"))) {
      URI uri = URI.create("http://127.0.0.1:" + child.port() + prefix + key);
      child.resetPeaks();
      AtomicInteger ok = new AtomicInteger();
      Map<String, Integer> failures = new ConcurrentHashMap<>();
      AtomicLong bytes = new AtomicLong();
      CountDownLatch done = new CountDownLatch(clients);
      List<Thread> threads = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < clients; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    String outcome = download(uri, digest, size, bytes, limitSeconds);
                    if (outcome == null) {
                      ok.incrementAndGet();
                    } else {
                      failures.merge(outcome, 1, Integer::sum);
                    }
                  } finally {
                    done.countDown();
                  }
                },
                "bulk-client-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      boolean finished = done.await(limitSeconds, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      long hwm = child.statusKiB("VmHWM");
      boolean alive = child.alive();
      long oom = child.stderrCount("REQUEST-FAILED java.lang.OutOfMemoryError");
      long requestFailures = child.stderrCount("REQUEST-FAILED");
      String firstFailure = child.firstStderrLine("REQUEST-FAILED");
      if (!finished) {
        threads.forEach(Thread::interrupt);
      }
      child.kill();
      done.await(10, TimeUnit.SECONDS);
      int unfinished = (int) done.getCount();
      if (unfinished > 0) {
        failures.merge("not finished within " + limitSeconds + " s", unfinished, Integer::sum);
      }
      int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
      return new BulkOutcome(
          kind,
          engine,
          clients,
          ok.get(),
          failed,
          new TreeMap<>(failures),
          seconds,
          child.peakHeapUsed(),
          child.peakHeapCommitted(),
          hwm,
          oom,
          requestFailures,
          firstFailure,
          alive,
          bytes.get() / (double) MIB / seconds);
    }
  }

  /** Null when the download was complete and exact, else a short reason. */
  private static String download(
      URI uri, String digest, long size, AtomicLong bytes, int limitSeconds) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(10_000);
      c.setReadTimeout(limitSeconds * 1000);
      int status = c.getResponseCode();
      if (status != 200) {
        c.disconnect();
        return "HTTP " + status;
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long length = 0;
      try (InputStream in = c.getInputStream()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          sha.update(buffer, 0, n);
          length += n;
          bytes.addAndGet(n);
        }
      }
      if (length != size) {
        return "short body";
      }
      return HexFormat.of().formatHex(sha.digest()).equals(digest) ? null : "wrong bytes";
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      return e.getClass().getSimpleName()
          + (m.length() > 40 ? ": " + m.substring(0, 40) + "…" : ": " + m);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- slow clients

  /** Outcome of one slow-clients run. */
  record SlowOutcome(
      String threads,
      String jvm,
      int clients,
      int ok,
      int failed,
      Map<String, Integer> failures,
      double seconds,
      double medianSeconds,
      long vmHwmKiB,
      int peakPlatformThreads,
      long peakHeapUsed) {}

  /**
   * {@code clients} connections to a filter child each reading the object at about {@code
   * bytesPerSecond} (small receive buffer, paced reads), each body SHA-256-checked.
   */
  SlowOutcome slow(
      String java,
      String threads,
      String key,
      String digest,
      long size,
      int clients,
      int bytesPerSecond,
      int limitSeconds)
      throws Exception {
    try (ChildJvm child =
        ChildJvm.start(
            java,
            List.of("-Xmx512m", "-XX:+UseG1GC", "-Dbench.sendBuffer=" + SLOW_SEND_BUFFER),
            s3.args(
                "filter",
                "sdk",
                clients + 100,
                64 * 1024,
                threads,
                "idleTimeout=120",
                "settings=" + SettingsRows.BLOCKING))) {
      child.resetPeaks();
      AtomicInteger ok = new AtomicInteger();
      Map<String, Integer> failures = new ConcurrentHashMap<>();
      List<Double> durations = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch done = new CountDownLatch(clients);
      List<Thread> list = new ArrayList<>();
      long start = System.nanoTime();
      long deadline = start + limitSeconds * 1_000_000_000L;
      for (int i = 0; i < clients; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    long t0 = System.nanoTime();
                    String outcome =
                        slowDownload(child.port(), key, digest, size, bytesPerSecond, deadline);
                    if (outcome == null) {
                      ok.incrementAndGet();
                      durations.add((System.nanoTime() - t0) / 1e9);
                    } else {
                      failures.merge(outcome, 1, Integer::sum);
                    }
                  } finally {
                    done.countDown();
                  }
                },
                "slow-client-" + i);
        t.setDaemon(true);
        list.add(t);
        t.start();
      }
      done.await(limitSeconds + 15L, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      long hwm = child.statusKiB("VmHWM");
      child.kill();
      done.await(10, TimeUnit.SECONDS);
      int unfinished = (int) done.getCount();
      if (unfinished > 0) {
        failures.merge("still running at the end", unfinished, Integer::sum);
      }
      int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
      return new SlowOutcome(
          threads,
          java,
          clients,
          ok.get(),
          failed,
          new TreeMap<>(failures),
          seconds,
          durations.isEmpty() ? 0 : Stats.percentile(new ArrayList<>(durations), 50),
          hwm,
          child.peakThreads(),
          child.peakHeapUsed());
    }
  }

  private static String slowDownload(
      int port, String key, String digest, long size, int bytesPerSecond, long deadline) {
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(16 * 1024);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout((int) Math.max(1000, (deadline - System.nanoTime()) / 1_000_000 + 1000));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /app/" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[8 * 1024];
      StringBuilder head = new StringBuilder();
      long body = 0;
      boolean inBody = false;
      long started = 0;
      long received = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (received == 0) {
          // Pace from the first byte on: a client that waited does not catch up faster.
          started = System.nanoTime();
        }
        received += n;
        int offset = 0;
        if (!inBody) {
          head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
          int end = head.indexOf("\r\n\r\n");
          if (end < 0) {
            continue;
          }
          if (!head.toString().startsWith("HTTP/1.1 200")) {
            return head.substring(0, head.indexOf("\r\n"));
          }
          inBody = true;
          offset = n - (head.length() - end - 4);
        }
        sha.update(buffer, offset, n - offset);
        body += n - offset;
        long due = started + received * 1_000_000_000L / bytesPerSecond;
        long wait = due - System.nanoTime();
        if (System.nanoTime() > deadline) {
          return "not finished within the limit";
        }
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      if (body != size) {
        return inBody ? "short body" : "no response";
      }
      return HexFormat.of().formatHex(sha.digest()).equals(digest) ? null : "wrong bytes";
    } catch (java.net.SocketTimeoutException e) {
      return "read timed out at the bound (no byte for the rest of the run)";
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- profile

  /** What the JFR profile of one engine under the small-object load shows. */
  record EngineProfile(
      String engine,
      long requests,
      double requestsPerSecond,
      JfrSummary.Summary jfr,
      Map<String, Double> cpuShares) {

    double allocatedPerRequest() {
      return requests == 0 ? 0 : jfr.allocatedBytes() / (double) requests;
    }
  }

  /** Something that runs wrk against a URL for some seconds. */
  interface Load {
    WrkResult run(String url, int seconds) throws Exception;
  }

  /**
   * The filter with {@code engine} in a child JVM of its own (Java 17, {@code -Xmx512m}), JFR with
   * the profile settings started after a warm-up while wrk puts the small-object load on it; the
   * recording summarised by {@link JfrSummary}, and the machine's CPU split between the filter JVM,
   * the S3 server, the harness and the rest (wrk, kernel).
   */
  EngineProfile profile(
      String engine, String key, Load load, int warmupSeconds, int seconds, LongSupplier s3Ticks)
      throws Exception {
    Path dir = Files.createTempDirectory("s3redirect-jfr");
    Path jfr = dir.resolve("filter.jfr");
    try (ChildJvm child =
        ChildJvm.start(
            java17,
            List.of("-Xmx512m", "-XX:+UseG1GC"),
            s3.args("filter", engine, 64, 64 * 1024, "platform"))) {
      String url = "http://127.0.0.1:" + child.port() + "/app/" + key;
      load.run(url, warmupSeconds);
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      run(List.of(jcmd, Long.toString(child.pid()), "JFR.start", "name=bench", "settings=profile"));
      long busy0 = SystemCpu.machineBusyTicks();
      long child0 = child.cpuTicks();
      long s30 = s3Ticks.getAsLong();
      long self0 = SystemCpu.processTicks(Path.of("/proc/self/stat"));
      WrkResult r = load.run(url, seconds);
      long busy = SystemCpu.machineBusyTicks() - busy0;
      long childTicks = child.cpuTicks() - child0;
      long s3Used = s3Ticks.getAsLong() - s30;
      long selfTicks = SystemCpu.processTicks(Path.of("/proc/self/stat")) - self0;
      run(
          List.of(
              jcmd,
              Long.toString(child.pid()),
              "JFR.stop",
              "name=bench",
              "filename=" + jfr.toAbsolutePath()));
      Map<String, Double> shares = new LinkedHashMap<>();
      if (busy > 0) {
        shares.put("filter JVM (Jetty, filter, engine)", childTicks / (double) busy);
        shares.put("S3 server JVM", s3Used / (double) busy);
        shares.put("harness JVM", selfTicks / (double) busy);
        shares.put(
            "everything else (wrk, kernel, other processes)",
            Math.max(0, busy - childTicks - s3Used - selfTicks) / (double) busy);
        shares.put("busy cores (mean)", busy / (r.seconds() * SystemCpu.TICKS_PER_SECOND));
      }
      String keep = System.getenv("BENCH_KEEP_JFR");
      if (keep != null) {
        // For a closer look: jfr print --events jdk.ExecutionSample <dir>/<engine>.jfr
        Files.createDirectories(Path.of(keep));
        Files.copy(
            jfr, Path.of(keep, engine + ".jfr"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return new EngineProfile(
          engine, r.requests(), r.requestsPerSecond(), JfrSummary.read(jfr), shares);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed: " + output);
    }
  }

  static String kib(double bytes) {
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
  }
}
