package dev.s3redirect.bench;

import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.embedded.EmbeddedS3Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Runs the side-by-side benchmark of issue 7 on loopback and writes {@code REPORT.md} and {@code
 * throughput.png}.
 *
 * <p>Arguments: {@code quick} or {@code full}, then optionally the output folder (default {@code
 * docs/benchmarks}). Tools come from the {@code PATH} or the environment variables {@code WRK},
 * {@code NGINX} and {@code GNUPLOT}; wrk is required, nginx and gnuplot are skipped with a note
 * when missing. Start it through {@code benchmarks/run.sh}, which installs them.
 */
public final class BenchmarkRunner {

  private static final String BUCKET = "bench";
  private static final String SMALL = "small-4KiB.bin";
  private static final String MEDIUM = "medium-1MiB.bin";
  private static final String LARGE = "large.bin";

  private final Mode mode;
  private final Path out;
  private final List<String> notes = new ArrayList<>();
  private final Results results = new Results();
  private final Map<String, String> digests = new LinkedHashMap<>();
  private final Map<Target, String> baseUrls = new EnumMap<>(Target.class);
  private final Map<Target, Map<String, String>> urls = new EnumMap<>(Target.class);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private String wrk;
  private Path wrkScript;
  private int appPort;
  private final StringBuilder extra = new StringBuilder();

  /** The filter buffer sizes compared in the tuning section, in bytes. */
  private static final List<Integer> BUFFER_SIZES =
      List.of(16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024);

  private static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

  /** The run's size: rounds, durations and the large object's size. */
  private record Mode(
      String name,
      int rounds,
      int seconds,
      int warmupSeconds,
      int largeMiB,
      int ttfbRequests,
      int countRequests,
      int tuningSeconds,
      int bulkLimitSeconds,
      int slowLimitSeconds) {}

  private BenchmarkRunner(Mode mode, Path out) {
    this.mode = mode;
    this.out = out;
  }

  /**
   * Runs the benchmark.
   *
   * @param args {@code quick} or {@code full}, then optionally the output folder
   * @throws Exception when a target cannot be started or returns wrong bytes
   */
  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "quick";
    Mode mode =
        switch (name) {
          case "quick" -> new Mode("quick", 3, 3, 1, 64, 30, 20, 2, 120, 40); // side by side only
          case "full" -> new Mode("full", 5, 8, 3, 256, 100, 50, 5, 300, 60);
          default -> throw new IllegalArgumentException("mode must be quick or full: " + name);
        };
    Path out = Path.of(args.length > 1 ? args[1] : "docs/benchmarks");
    new BenchmarkRunner(mode, out).run();
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    wrk = tool("WRK", "wrk");
    if (wrk == null) {
      throw new IllegalStateException("wrk not found: install it (benchmarks/run.sh does)");
    }
    String nginxBinary = tool("NGINX", "nginx");
    String gnuplot = tool("GNUPLOT", "gnuplot");
    wrkScript = Files.createTempFile("s3redirect-bench", ".lua");
    Files.writeString(wrkScript, WrkResult.SCRIPT);
    Map<String, String> env = environment(nginxBinary);
    env.put("load average at start", loadAverage());

    CountingInterceptor filterCount = new CountingInterceptor();
    CountingInterceptor memoryCount = new CountingInterceptor();
    try (EmbeddedS3Server s3 = EmbeddedS3Server.start();
        S3Client admin = s3.clientBuilder().build();
        S3Client filterClient = appClient(s3, filterCount);
        S3Client memoryClient = appClient(s3, memoryCount);
        S3Presigner presigner = presigner(s3);
        S3Client urlConnectionClient =
            s3.clientBuilder()
                .httpClientBuilder(
                    UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .build()) {
      log("S3Proxy on " + s3.endpoint() + "; uploading objects");
      admin.createBucket(b -> b.bucket(BUCKET));
      upload(admin, SMALL, 4 * 1024, 1);
      upload(admin, MEDIUM, 1024 * 1024, 2);
      upload(admin, LARGE, mode.largeMiB() * 1024 * 1024, 3);
      env.put("large object", mode.largeMiB() + " MiB");

      Map<String, String> direct = new LinkedHashMap<>();
      for (String key : digests.keySet()) {
        direct.put(
            key,
            presigner
                .presignGetObject(
                    p ->
                        p.signatureDuration(Duration.ofHours(2))
                            .getObjectRequest(g -> g.bucket(BUCKET).key(key)))
                .url()
                .toString());
      }
      urls.put(Target.DIRECT, direct);

      try (Apps apps =
          new Apps(
              BUCKET, filterClient, memoryClient, presigner, BUFFER_SIZES, urlConnectionClient)) {
        appPort = apps.port();
        baseUrls.put(Target.FILTER, "http://127.0.0.1:" + apps.port() + "/app/");
        baseUrls.put(Target.MEMORY, "http://127.0.0.1:" + apps.port() + "/mem/");
        Nginx nginx = null;
        try {
          if (nginxBinary != null) {
            nginx = Nginx.start(nginxBinary, freePort(), apps.port(), s3.port(), 2);
            baseUrls.put(Target.NGINX, "http://127.0.0.1:" + nginx.port() + "/app/");
            log("nginx on " + nginx.port() + ", config in " + nginx.dir());
          } else {
            notes.add("nginx was not found, so the nginx column is missing from this run.");
          }
          for (var e : baseUrls.entrySet()) {
            Map<String, String> m = new LinkedHashMap<>();
            digests.keySet().forEach(k -> m.put(k, e.getValue() + k));
            urls.put(e.getKey(), m);
          }
          List<Target> targets = new ArrayList<>(urls.keySet());
          verify(targets);
          List<Report.S3Count> counts = List.of();
          if (section("side")) {
            measure(targets);
            counts = countS3Requests(filterCount, memoryCount);
          }
          ChildWorkloads children =
              new ChildWorkloads(
                  new ChildWorkloads.S3Access(
                      s3.endpoint().toString(), s3.accessKey(), s3.secretKey(), BUCKET));
          if (section("buffers")) {
            extra.append(tuneBuffers());
          }
          if (section("memory")) {
            extra.append(heapAndRss(children));
          }
          if (section("slow")) {
            extra.append(slowClients(children));
          }
          if (section("profile")) {
            extra.append(profile(children));
          }
          if (section("buffers")) {
            extra.append(defaults());
          } else {
            extra.append(
                "\n## Tuning, heap at -Xmx64m, slow clients, profile\n\n"
                    + "Not run in quick mode, which measures the side-by-side table only: run"
                    + " `benchmarks/run.sh full` for the buffer and HTTP-client tuning, 100"
                    + " downloads at -Xmx64m, 1,000 slow clients on virtual threads, the JFR profile"
                    + " and the defaults they support.\n");
          }
          env.put("load average at end", loadAverage());
          env.put(
              "run time",
              String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));
          writeReport(env, targets, counts, gnuplot);
        } finally {
          if (nginx != null) {
            nginx.close();
          }
        }
      }
    } finally {
      Files.deleteIfExists(wrkScript);
    }
    log("done in " + (System.nanoTime() - started) / 1_000_000_000 + " s");
  }

  // ---------------------------------------------------------------- setup

  private static S3Client appClient(EmbeddedS3Server s3, ExecutionInterceptor interceptor) {
    return s3.clientBuilder()
        .httpClientBuilder(
            Apache5HttpClient.builder()
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
        .build();
  }

  private static S3Presigner presigner(EmbeddedS3Server s3) {
    return S3Presigner.builder()
        .endpointOverride(s3.endpoint())
        .region(EmbeddedS3Server.REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  private void upload(S3Client admin, String key, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        bytes[i + j] = (byte) (v >>> (8 * j));
      }
    }
    admin.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    digests.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  /** Every target returns 200 and exactly the uploaded bytes for every object. */
  private void verify(List<Target> targets) throws Exception {
    for (Target target : targets) {
      for (var e : urls.get(target).entrySet()) {
        HttpResponse<InputStream> response =
            http.send(
                HttpRequest.newBuilder(URI.create(e.getValue()))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long length = 0;
        try (InputStream in = response.body()) {
          byte[] buffer = new byte[64 * 1024];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            sha.update(buffer, 0, n);
            length += n;
          }
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        if (response.statusCode() != 200 || !digest.equals(digests.get(e.getKey()))) {
          throw new IllegalStateException(
              target.label
                  + " "
                  + e.getKey()
                  + ": status "
                  + response.statusCode()
                  + ", "
                  + length
                  + " bytes, digest mismatch="
                  + !digest.equals(digests.get(e.getKey())));
        }
      }
      log("verified " + target.label + ": 200 and exact bytes for " + digests.size() + " objects");
    }
  }

  // ---------------------------------------------------------------- measuring

  private void measure(List<Target> targets) throws Exception {
    log("warm-up, " + mode.warmupSeconds() + " s per target and workload");
    for (Target t : targets) {
      wrk(t, LARGE, 1, 1, mode.warmupSeconds());
      wrk(t, LARGE, 2, 8, mode.warmupSeconds());
      wrk(t, SMALL, 2, 16, mode.warmupSeconds());
      ttfb(t, 10);
    }
    for (int round = 0; round < mode.rounds(); round++) {
      List<Target> order = new ArrayList<>(targets);
      java.util.Collections.rotate(order, -round);
      log("round " + (round + 1) + "/" + mode.rounds() + ", order " + order);
      for (Target t : order) {
        WrkResult r = wrk(t, LARGE, 1, 1, mode.seconds());
        results.add(Metric.LARGE_1, t, r.mibPerSecond());
        check(t, "large ×1", round, r);
      }
      for (Target t : order) {
        WrkResult r = wrk(t, LARGE, 2, 8, mode.seconds());
        results.add(Metric.LARGE_8, t, r.mibPerSecond());
        check(t, "large ×8", round, r);
      }
      for (Target t : order) {
        WrkResult r = wrk(t, SMALL, 2, 16, mode.seconds());
        results.add(Metric.SMALL_RPS, t, r.requestsPerSecond());
        results.add(Metric.SMALL_P50, t, r.p50Micros() / 1000.0);
        results.add(Metric.SMALL_P99, t, r.p99Micros() / 1000.0);
        check(t, "small", round, r);
      }
      for (Target t : order) {
        results.add(Metric.TTFB_P50, t, ttfb(t, mode.ttfbRequests()));
      }
    }
  }

  private void check(Target t, String workload, int round, WrkResult r) {
    if (r.bytes() == 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "%s, %s, round %d: no byte arrived within the %d s run (%d wrk read errors, %d"
                  + " timeouts)",
              t.label,
              workload,
              round + 1,
              mode.seconds(),
              r.readErrors(),
              r.timeouts()));
    }
    if (r.hardErrors() > 0 || r.requests() == 0 && !workload.startsWith("large")) {
      notes.add(
          String.format(
              Locale.ROOT,
              "%s, %s, round %d: wrk saw %d connect, %d write, %d status errors, %d requests",
              t.label,
              workload,
              round + 1,
              r.connectErrors(),
              r.writeErrors(),
              r.statusErrors(),
              r.requests()));
    }
  }

  private WrkResult wrk(Target target, String key, int threads, int connections, int seconds)
      throws IOException, InterruptedException {
    return wrkUrl(urls.get(target).get(key), threads, connections, seconds);
  }

  /** The median time to the first body byte of sequential GETs of the 1 MiB object, in ms. */
  private double ttfb(Target target, int requests) throws Exception {
    URI uri = URI.create(urls.get(target).get(MEDIUM));
    List<Double> samples = new ArrayList<>(requests);
    byte[] buffer = new byte[64 * 1024];
    for (int i = 0; i < requests; i++) {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
      long start = System.nanoTime();
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (in.read() < 0 || response.statusCode() != 200) {
          throw new IllegalStateException(target.label + ": status " + response.statusCode());
        }
        samples.add((System.nanoTime() - start) / 1e6);
        while (in.read(buffer) >= 0) {
          // drain, so that the connection is reused
        }
      }
    }
    return Stats.percentile(samples, 50);
  }

  private List<Report.S3Count> countS3Requests(
      CountingInterceptor filterCount, CountingInterceptor memoryCount) throws Exception {
    String etag = null;
    URI filterUri = URI.create(urls.get(Target.FILTER).get(MEDIUM));
    HttpResponse<Void> first =
        http.send(
            HttpRequest.newBuilder(filterUri).build(), HttpResponse.BodyHandlers.discarding());
    etag = first.headers().firstValue("ETag").orElseThrow();
    List<Report.S3Count> counts = new ArrayList<>();
    counts.add(count(Target.FILTER, "full GET", filterUri, null, null, filterCount));
    counts.add(
        count(Target.FILTER, "single-range", filterUri, "Range", "bytes=0-1023", filterCount));
    counts.add(count(Target.FILTER, "conditional", filterUri, "If-None-Match", etag, filterCount));
    counts.add(
        count(
            Target.MEMORY,
            "full GET",
            URI.create(urls.get(Target.MEMORY).get(MEDIUM)),
            null,
            null,
            memoryCount));
    return counts;
  }

  private Report.S3Count count(
      Target target,
      String kind,
      URI uri,
      String header,
      String value,
      CountingInterceptor interceptor)
      throws Exception {
    int before = interceptor.requests();
    int status = 0;
    for (int i = 0; i < mode.countRequests(); i++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
      if (header != null) {
        b.header(header, value);
      }
      HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (status != 0 && status != response.statusCode()) {
        notes.add(target.label + " " + kind + ": statuses varied");
      }
      status = response.statusCode();
    }
    return new Report.S3Count(
        target, kind, mode.countRequests(), interceptor.requests() - before, status);
  }

  // ---------------------------------------------------------------- report

  private void writeReport(
      Map<String, String> env, List<Target> targets, List<Report.S3Count> counts, String gnuplot)
      throws Exception {
    Files.createDirectories(out);
    if (!section("side")) {
      Files.writeString(out.resolve("REPORT.md"), "# Partial run (BENCH_ONLY)\n" + extra);
      return;
    }
    String chart = null;
    if (gnuplot != null) {
      chart = Chart.write(gnuplot, out.resolve("throughput.png"), results, targets, mode.name());
      if (chart == null) {
        notes.add("gnuplot failed; no chart this run.");
      }
    } else {
      notes.add("gnuplot was not found; no chart this run.");
    }
    List<String> method =
        List.of(
            "One JVM holds S3Proxy (in memory, SigV4 checked), Jetty 12 with the three application"
                + " variants, and the AWS SDK v2 sync clients (Apache 5 HTTP client, pool of 64)."
                + " nginx runs as a child process with a generated configuration (2 workers,"
                + " access log off, upstream keep-alive, proxy temp files off, default proxy"
                + " buffers); wrk runs as a child process. Everything listens on 127.0.0.1.",
            "**direct S3**: wrk GETs a presigned URL of S3Proxy. **filter**: Jetty, the servlet sets"
                + " `X-S3-Redirect`, the filter streams with its default 64 KiB buffer."
                + " **nginx X-Accel-Redirect**: nginx → Jetty servlet that presigns a GET per"
                + " request and answers `X-Accel-Redirect: /internal-s3/…?<query>` → nginx"
                + " `internal` location → S3Proxy. **read into memory**: Jetty servlet,"
                + " `getObjectAsBytes`, then writes the array.",
            "Before timing, every target returned 200 and the exact bytes (SHA-256) of every object.",
            "Large object: wrk with 1 connection (1 thread) and 8 connections (2 threads) for "
                + mode.seconds()
                + " s; throughput is wrk's bytes read ÷ duration (downloads cut at the end count"
                + " their bytes).",
            "Small object (4 KiB): wrk, 2 threads, 16 keep-alive connections, "
                + mode.seconds()
                + " s; requests/s and wrk's latency p50 and p99.",
            "TTFB: "
                + mode.ttfbRequests()
                + " sequential GETs of the 1 MiB object with `java.net.http.HttpClient`"
                + " (keep-alive), time from sending to the first body byte; the round's figure is"
                + " their median.",
            "Rounds: "
                + mode.rounds()
                + ", after a "
                + mode.warmupSeconds()
                + " s warm-up per target and workload. Within a round each workload runs on every"
                + " target back to back; the target order rotates each round.");
    String md =
        Report.render(
            env, method, results, targets, counts, notes, chart == null ? null : "throughput.png");
    md += extra;
    md +=
        """

        ## Caveats

        - One 2-core machine holds everything: S3Proxy, the Jetty applications, nginx and the load
          generator compete for the same cores, so these are relative figures, not capacities.
          Anything else running on the machine shows in the load averages above; the interleaving
          and the per-round ratios are what make the numbers comparable.
        - "S3" is S3Proxy in memory on loopback: no network latency, and its own per-request cost
          (SigV4 checks, Jetty) is part of every target. Against real S3 the time to first byte
          is dominated by S3 itself.
        - The filter and the read-into-memory application run in the same JVM as S3Proxy (they
          share its heap and garbage collector); nginx runs in its own processes.
        - wrk measures throughput over a fixed duration; downloads in flight at the end are cut
          and their bytes counted.
        - The conditional request's second S3 request is by design: S3Proxy's 304 carries only
          the `ETag`, so the filter completes it with a `HeadObject` (see `ObjectResponder`);
          against S3 proper this may differ, and was not measured here.
        - The child-JVM workloads (heap and RSS, slow clients, profile) run one at a time after
          the side-by-side rounds; their figures are single runs, not medians.
        """;
    Files.writeString(out.resolve("REPORT.md"), md);
    log("wrote " + out.resolve("REPORT.md"));
  }

  private Map<String, String> environment(String nginxBinary) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("mode", mode.name());
    env.put(
        "date",
        Instant.now()
            .atOffset(ZoneOffset.UTC)
            .withNano(0)
            .toString()
            .replace("T", " ")
            .replace("Z", " UTC"));
    env.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    env.put("memory", memTotal());
    env.put("OS", osName());
    env.put(
        "JDK",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + " MiB");
    env.put("wrk", firstLine(List.of(wrk, "-v")));
    env.put("nginx", nginxBinary == null ? "not found" : firstLine(List.of(nginxBinary, "-v")));
    return env;
  }

  // ---------------------------------------------------------------- more workloads

  /**
   * Whether a section runs: those the environment variable BENCH_ONLY lists; without it, every
   * section in full mode and only the side-by-side table in quick mode, which keeps quick mode
   * within three minutes.
   */
  private boolean section(String name) {
    String only = System.getenv("BENCH_ONLY");
    if (only != null && !only.isBlank()) {
      return List.of(only.split(",")).contains(name);
    }
    return mode.name().equals("full") || name.equals("side");
  }

  private WrkResult wrkUrl(String url, int threads, int connections, int seconds)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            wrk,
            "-t" + threads,
            "-c" + connections,
            "-d" + seconds + "s",
            "--timeout",
            "60s",
            "--latency",
            "-s",
            wrkScript.toString(),
            url);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk did not finish: " + command);
    }
    // Let aborted downloads (the run's end cuts them) wind down before the next run starts.
    Thread.sleep(300);
    return WrkResult.parse(output);
  }

  /** Large-object throughput of the filter with each buffer size, interleaved with direct S3. */
  private String tuneBuffers() throws Exception {
    log(
        "buffer sizes "
            + BUFFER_SIZES
            + ", "
            + mode.rounds()
            + " rounds of "
            + mode.tuningSeconds()
            + " s");
    Map<String, String> tuneUrls = new LinkedHashMap<>();
    tuneUrls.put("direct S3", urls.get(Target.DIRECT).get(LARGE));
    for (int size : BUFFER_SIZES) {
      tuneUrls.put(sizeLabel(size), "http://127.0.0.1:" + appPort + "/buf" + size + "/" + LARGE);
    }
    tuneUrls.put(URLCONN, "http://127.0.0.1:" + appPort + "/urlconn/" + LARGE);
    int[][] shapes = {{1, 1}, {2, 8}};
    String[] workloads = {"large object, 1 download", "large object, 8 concurrent downloads"};
    List<Map<String, List<Double>>> values = new ArrayList<>();
    for (int w = 0; w < shapes.length; w++) {
      Map<String, List<Double>> m = new LinkedHashMap<>();
      tuneUrls.keySet().forEach(k -> m.put(k, new ArrayList<>()));
      values.add(m);
      for (String url : tuneUrls.values()) {
        wrkUrl(url, shapes[w][0], shapes[w][1], 1);
      }
    }
    for (int round = 0; round < mode.rounds(); round++) {
      List<String> order = new ArrayList<>(tuneUrls.keySet());
      java.util.Collections.rotate(order, -round);
      for (int w = 0; w < shapes.length; w++) {
        for (String name : order) {
          WrkResult r =
              wrkUrl(tuneUrls.get(name), shapes[w][0], shapes[w][1], mode.tuningSeconds());
          values.get(w).get(name).add(r.mibPerSecond());
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("\n## Tuning: the filter's buffer size and the SDK HTTP client\n\n")
        .append(
            "The same filter (one S3 client, Apache 5, pool of 64) with each buffer size at its")
        .append(" own path of the same Jetty, and the filter with 64 KiB on a second S3 client")
        .append(" built on `url-connection-client` (JDK `HttpURLConnection`); wrk as above for ")
        .append(mode.tuningSeconds())
        .append(" s, ")
        .append(mode.rounds())
        .append(" rounds, the order rotating each round, direct S3 measured in every round.\n\n")
        .append("| workload | buffer | median | min–max | × direct S3 (median, min–max) |")
        .append(" × 64 KiB (median, min–max) |\n|---|---|---:|---:|---:|---:|\n");
    String best = sizeLabel(S3RedirectSettings.DEFAULT_BUFFER_SIZE);
    boolean[] clearlyBetter = new boolean[BUFFER_SIZES.size()];
    java.util.Arrays.fill(clearlyBetter, true);
    for (int w = 0; w < shapes.length; w++) {
      Map<String, List<Double>> m = values.get(w);
      List<Double> direct = m.get("direct S3");
      List<Double> base = m.get(sizeLabel(64 * 1024));
      for (var e : m.entrySet()) {
        Stats.Summary s = Stats.summarize(e.getValue());
        String vsDirect = "1";
        String vsBase = "";
        if (!e.getKey().equals("direct S3")) {
          Stats.Summary r = Stats.summarize(Stats.ratios(e.getValue(), direct));
          vsDirect = range(r);
          Stats.Summary b = Stats.summarize(Stats.ratios(e.getValue(), base));
          vsBase = range(b);
          if (e.getKey().equals(URLCONN)) {
            (w == 0 ? urlConnRatios1 : urlConnRatios8).addAll(Stats.ratios(e.getValue(), base));
          } else if (b.min() < 1.05) {
            clearlyBetter[BUFFER_SIZES.indexOf(sizeOf(e.getKey()))] = false;
          }
        }
        md.append("| ")
            .append(workloads[w])
            .append(" | ")
            .append(e.getKey())
            .append(" | ")
            .append(Report.fmt(s.median()))
            .append(" MiB/s | ")
            .append(Report.fmt(s.min()))
            .append("–")
            .append(Report.fmt(s.max()))
            .append(" | ")
            .append(vsDirect)
            .append(" | ")
            .append(vsBase)
            .append(" |\n");
      }
    }
    List<String> winners = new ArrayList<>();
    for (int i = 0; i < BUFFER_SIZES.size(); i++) {
      if (clearlyBetter[i] && BUFFER_SIZES.get(i) != 64 * 1024) {
        winners.add(sizeLabel(BUFFER_SIZES.get(i)));
      }
    }
    bufferVerdict =
        winners.isEmpty()
            ? "no buffer size beat 64 KiB by at least 5 % in every round of both workloads"
            : String.join(", ", winners)
                + " beat 64 KiB by at least 5 % in every round of both workloads";
    md.append("\nVerdict: ")
        .append(bufferVerdict)
        .append("; the default in code is ")
        .append(best)
        .append(" (`S3RedirectSettings.DEFAULT_BUFFER_SIZE`).\n");
    bufferTable = md.toString();
    return md.toString();
  }

  private String bufferVerdict = "not measured";
  private final List<Double> urlConnRatios1 = new ArrayList<>();
  private final List<Double> urlConnRatios8 = new ArrayList<>();
  private static final String URLCONN = "64 KiB, url-connection-client";
  private String bufferTable = "";

  private static String range(Stats.Summary r) {
    return Report.fmt(r.median()) + " (" + Report.fmt(r.min()) + "–" + Report.fmt(r.max()) + ")";
  }

  private static String sizeLabel(int bytes) {
    return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
  }

  private static int sizeOf(String label) {
    String[] p = label.split(" ");
    return Integer.parseInt(p[0]) * (p[1].equals("MiB") ? 1024 * 1024 : 1024);
  }

  /** 100 concurrent large downloads from the filter and from read-into-memory at -Xmx64m. */
  private String heapAndRss(ChildWorkloads children) throws Exception {
    long size = (long) mode.largeMiB() * 1024 * 1024;
    int clients = 100;
    log("heap and RSS: " + clients + " × " + mode.largeMiB() + " MiB, child JVMs at -Xmx64m");
    ChildWorkloads.BulkOutcome filter =
        children.bulk("filter", LARGE, digests.get(LARGE), size, clients, mode.bulkLimitSeconds());
    log("filter: " + filter);
    ChildWorkloads.BulkOutcome memory =
        children.bulk("memory", LARGE, digests.get(LARGE), size, clients, 60);
    log("memory: " + memory);
    StringBuilder md = new StringBuilder();
    md.append("\n## Heap and RSS: ")
        .append(clients)
        .append(" concurrent ")
        .append(mode.largeMiB())
        .append(" MiB downloads at -Xmx64m\n\n")
        .append("Each application runs alone in a child JVM (Java 17, `-Xmx64m -XX:+UseG1GC`,")
        .append(" Jetty 12 with 200 platform threads, S3 client pool of 110) against the harness's")
        .append(" S3Proxy. The harness opens ")
        .append(clients)
        .append(" connections at once (one platform thread each, `HttpURLConnection`), reads every")
        .append(" body to the end and compares its full SHA-256 with the uploaded object's (every")
        .append(" byte hashed, no sampling). The child prints `MemoryMXBean` heap used and")
        .append(" committed every 200 ms (peaks below); peak RSS is `VmHWM` from")
        .append(" `/proc/<pid>/status`, read before the child is killed. Bounded at ")
        .append(mode.bulkLimitSeconds())
        .append(" s for the filter and 60 s for read-into-memory.\n\n")
        .append("| application | completed byte-exact | failed | wall time | throughput |")
        .append(" peak heap used | peak heap committed | peak RSS | requests that threw |")
        .append(" of them `OutOfMemoryError` | alive at end |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (ChildWorkloads.BulkOutcome o : List.of(filter, memory)) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d of %d | %d | %.1f s | %.0f MiB/s | %s | %s | %s | %d | %d | %s |%n",
              o.app().equals("filter") ? "filter (64 KiB buffer)" : "read into memory",
              o.ok(),
              o.clients(),
              o.failed(),
              o.seconds(),
              o.mibPerSecond(),
              ChildWorkloads.mib(o.peakHeapUsed()),
              ChildWorkloads.mib(o.peakHeapCommitted()),
              ChildWorkloads.mib(o.vmHwmKiB() * 1024),
              o.requestFailures(),
              o.oomLines(),
              o.aliveAtEnd() ? "yes" : "no"));
    }
    for (ChildWorkloads.BulkOutcome o : List.of(filter, memory)) {
      if (!o.failures().isEmpty()) {
        md.append("\nFailures of ")
            .append(o.app().equals("filter") ? "the filter" : "read into memory")
            .append(", as the client saw them: ");
        List<String> parts = new ArrayList<>();
        o.failures().forEach((k, v) -> parts.add(v + " × " + k));
        md.append(String.join("; ", parts)).append(".");
        if (o.firstFailure() != null) {
          md.append(" In the child, the first request that threw: `")
              .append(o.firstFailure().replace("REQUEST-FAILED ", ""))
              .append("` (Jetty answers such a request with a 500).");
        }
        md.append("\n");
      }
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nTarget \"heap flat in object size; 100 concurrent downloads at -Xmx64m complete"
                + " byte-exact\": **%s** (%d of %d; the filter's heap peaked at %s for %s in"
                + " flight).%n",
            filter.ok() == clients ? "met" : "missed",
            filter.ok(),
            clients,
            ChildWorkloads.mib(filter.peakHeapUsed()),
            ChildWorkloads.mib((long) clients * size)));
    return md.toString();
  }

  /** 1,000 slow clients on a filter child with virtual threads (Java 25), then platform threads. */
  private String slowClients(ChildWorkloads children) throws Exception {
    int clients = 1000;
    int rate = 64 * 1024;
    long size = 1024 * 1024;
    String java = Files.isExecutable(Path.of(TEMURIN_25)) ? TEMURIN_25 : null;
    StringBuilder md = new StringBuilder();
    md.append("\n## ")
        .append(clients)
        .append(" slow clients (about 64 KiB/s each) on the 1 MiB object\n\n");
    if (java == null) {
      md.append("Temurin 25 was not found at `").append(TEMURIN_25).append("`; not measured.\n");
      return md.toString();
    }
    log("slow clients: " + clients + " at 64 KiB/s, virtual threads on Java 25");
    ChildWorkloads.SlowOutcome virtual =
        children.slow(
            java,
            "virtual",
            MEDIUM,
            digests.get(MEDIUM),
            size,
            clients,
            rate,
            mode.slowLimitSeconds());
    log("virtual: " + virtual);
    log("slow clients: platform threads (Jetty's pool of 200)");
    ChildWorkloads.SlowOutcome platform =
        children.slow(
            java,
            "platform",
            MEDIUM,
            digests.get(MEDIUM),
            size,
            clients,
            rate,
            mode.slowLimitSeconds());
    log("platform: " + platform);
    md.append("The filter in a child JVM on Temurin 25 (`-Xmx512m`), Jetty 12 with a")
        .append(" `QueuedThreadPool` of 200 whose virtual-threads executor is Jetty's")
        .append(" `VirtualThreads.getDefaultVirtualThreadsExecutor()` (so every request runs on a")
        .append(" virtual thread), and an S3 client pool of ")
        .append(clients + 100)
        .append(": **each download in progress holds one S3 connection for as long as its client")
        .append(" takes, so the pool must be at least the number of concurrent downloads** (the")
        .append(" guidance below). The harness opens ")
        .append(clients)
        .append(" connections at once, one platform thread each with a 16 KiB receive buffer")
        .append(" (the child caps its send buffers at ")
        .append(ChildWorkloads.SLOW_SEND_BUFFER / 1024)
        .append(" KiB, so that the kernel cannot take the whole 1 MiB off a request thread),")
        .append(" and paces its reads to about 64 KiB/s (≈ 16 s per download); every body is")
        .append(" SHA-256-checked. Bounded at ")
        .append(mode.slowLimitSeconds())
        .append(" s. The second row is the same with Jetty's default pool of 200 platform")
        .append(" threads. Live platform threads are `ThreadMXBean#getThreadCount` (virtual")
        .append(" threads are not counted).\n\n")
        .append("| request threads | completed byte-exact | failed | wall time | median download |")
        .append(" peak live platform threads | peak heap used | peak RSS |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ChildWorkloads.SlowOutcome o : List.of(virtual, platform)) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d of %d | %d | %.1f s | %.1f s | %d | %s | %s |%n",
              o.threads().equals("virtual")
                  ? "virtual (Java 25)"
                  : "platform, pool of 200 (Java 25)",
              o.ok(),
              o.clients(),
              o.failed(),
              o.seconds(),
              o.medianSeconds(),
              o.peakPlatformThreads(),
              ChildWorkloads.mib(o.peakHeapUsed()),
              ChildWorkloads.mib(o.vmHwmKiB() * 1024)));
    }
    for (ChildWorkloads.SlowOutcome o : List.of(virtual, platform)) {
      if (!o.failures().isEmpty()) {
        md.append("\nFailures with ").append(o.threads()).append(" threads: ");
        List<String> parts = new ArrayList<>();
        o.failures().forEach((k, v) -> parts.add(v + " × " + k));
        md.append(String.join("; ", parts)).append(".\n");
      }
    }
    slowVerdict =
        String.format(
            Locale.ROOT,
            "%d of %d slow clients completed byte-exact on virtual threads (%d failed) in %.1f s"
                + " with at most %d live platform threads; with 200 platform threads %d of %d"
                + " completed within the %d s bound",
            virtual.ok(),
            clients,
            virtual.failed(),
            virtual.seconds(),
            virtual.peakPlatformThreads(),
            platform.ok(),
            clients,
            mode.slowLimitSeconds());
    md.append("\nTarget \"1,000 concurrent slow clients on virtual threads: zero errors\": **")
        .append(virtual.failed() == 0 && virtual.ok() == clients ? "met" : "missed")
        .append("** (")
        .append(slowVerdict)
        .append(").\n");
    return md.toString();
  }

  private String slowVerdict = "not measured";

  /** The defaults the library ships, each with the figures of this run behind it. */
  private String defaults() {
    StringBuilder md = new StringBuilder("\n## Defaults, and why\n\n");
    md.append("- **Buffer size: ")
        .append(sizeLabel(S3RedirectSettings.DEFAULT_BUFFER_SIZE))
        .append("** (`S3RedirectSettings.DEFAULT_BUFFER_SIZE`). In this run ")
        .append(bufferVerdict)
        .append(" (table above); a size is changed only when it wins every round of both")
        .append(" large-object workloads by 5 % or more, since a bigger buffer costs heap per")
        .append(" download in progress (100 downloads × 1 MiB = 100 MiB, more than the -Xmx64m")
        .append(" above) and a smaller one costs more write calls.\n");
    if (!urlConnRatios1.isEmpty()) {
      Stats.Summary one = Stats.summarize(urlConnRatios1);
      Stats.Summary eight = Stats.summarize(urlConnRatios8);
      md.append("- **SDK HTTP client: Apache 5** (`apache5-client`). `url-connection-client`")
          .append(" reached ")
          .append(range(one))
          .append("× Apache 5's throughput for one download and ")
          .append(range(eight))
          .append("× for eight (median, min–max of per-round ratios, same buffer). Apache 5")
          .append(" stays the recommendation unless the other is faster in every round: it has")
          .append(" the pool size and acquisition timeout the next point relies on, which")
          .append(" `url-connection-client` lacks. The CRT client (async) was not measured.\n");
    }
    md.append(
            "- **Connection-pool size = the number of concurrent downloads you expect** (Apache 5")
        .append(" `maxConnections`, default 50 in the SDK): the filter holds one S3 connection for")
        .append(" as long as its client takes to read the object, so a slow client holds one for")
        .append(" its whole download; a pool smaller than the concurrent downloads makes the rest")
        .append(" wait in `connectionAcquisitionTimeout` and then fail. The slow-client run above")
        .append(" used 1,100 for 1,000 clients.\n");
    md.append("- **Virtual threads:** on Java 21+ give Jetty (or Tomcat, or Spring Boot's")
        .append(" `spring.threads.virtual.enabled`) virtual threads when many clients are slow: ")
        .append(slowVerdict)
        .append(". The filter itself needs no change; it blocks on the S3 stream and the servlet")
        .append(" output stream, which virtual threads park cheaply.\n");
    return md.toString();
  }

  /** JFR of the filter child under the small-object load. */
  private String profile(ChildWorkloads children) throws Exception {
    int seconds = mode.name().equals("quick") ? 8 : 15;
    log("profile: JFR of the filter under the small-object load, " + seconds + " s");
    ChildWorkloads.Profile p =
        children.profile(SMALL, (url, s) -> wrkUrl(url, 2, 16, s).requestsPerSecond(), 3, seconds);
    StringBuilder md = new StringBuilder();
    md.append("\n## Where the time goes: the filter under the small-object load (JFR)\n\n")
        .append("The filter in a child JVM (Java 17, `-Xmx512m`, Apache 5 pool of 64), wrk as")
        .append(" in the small-object workload (2 threads, 16 connections) for ")
        .append(seconds)
        .append(" s after 8 s of warm-up, JFR started with `jcmd <pid> JFR.start")
        .append(" settings=profile` (Java execution samples every 10 ms per running thread) and")
        .append(
            " summarised from `jfr print --events jdk.ExecutionSample`. Meanwhile the machine's")
        .append(" busy CPU time (`/proc/stat`) is split by process (`/proc/<pid>/stat`).")
        .append(
            String.format(
                Locale.ROOT,
                " %.0f requests/s during the recording (a separate JVM with JFR on: not comparable"
                    + " with the in-process figure above; the split is what counts).%n%n",
                p.requestsPerSecond()))
        .append("| CPU while profiling | share |\n|---|---:|\n");
    p.cpuShares()
        .forEach(
            (k, v) ->
                md.append("| ")
                    .append(k)
                    .append(" | ")
                    .append(
                        k.startsWith("busy")
                            ? Report.fmt(v)
                            : String.format(Locale.ROOT, "%.0f %%", v * 100))
                    .append(" |\n"));
    md.append("\n")
        .append(p.samples())
        .append(" execution samples in the filter JVM. Each sample charged to the first layer met")
        .append(" walking down from the top frame (so JDK code is charged to the library that")
        .append(" called it; the shares add up to 100 %):\n\n")
        .append("| owner | samples | share |\n|---|---:|---:|\n");
    p.exclusive().forEach((k, v) -> md.append(row(k, v, p.samples())));
    md.append("\nShare of samples with a frame of each layer")
        .append(" anywhere on the stack (inclusive; layers nest, so shares overlap):\n\n")
        .append("| layer | samples | share |\n|---|---:|---:|\n");
    p.inclusive().forEach((k, v) -> md.append(row(k, v, p.samples())));
    md.append("\nTop frames (where the CPU was when sampled), by package:\n\n")
        .append("| package of the top frame | samples | share |\n|---|---:|---:|\n");
    p.topPackages().forEach((k, v) -> md.append(row("`" + k + "`", v, p.samples())));
    md.append("\nTop frames by method:\n\n| method | samples | share |\n|---|---:|---:|\n");
    p.topFrames().forEach((k, v) -> md.append(row("`" + k + "`", v, p.samples())));
    long sdk =
        p.exclusive().entrySet().stream()
            .filter(e -> e.getKey().startsWith("AWS SDK") || e.getKey().startsWith("Apache"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long signing = p.exclusive().getOrDefault("AWS SDK: SigV4 signing", 0L);
    long jetty = p.exclusive().getOrDefault("Jetty (HTTP parsing, servlet, response)", 0L);
    double filterShare = p.cpuShares().getOrDefault("filter JVM (Jetty, filter, SDK)", 0.0);
    md.append(
        String.format(
            Locale.ROOT,
            "%n**Finding.** Under the small-object load the machine's two cores are busy and the"
                + " filter's JVM takes %.0f %% of that CPU. Inside it, %.0f %% of the samples are"
                + " the S3 call itself (the SDK's synchronous pipeline, its SigV4 signing —"
                + " %.0f %% on its own — and Apache HttpClient 5 sending the GET and reading the"
                + " response head), against %.0f %% for Jetty's own request handling and %.0f %%"
                + " for the filter's own code. A 4 KiB object costs about as much as its"
                + " SDK call, so per request the filter pays for one signed SDK `GetObject`"
                + " where the nginx recipe pays for one presign in Java plus C proxying, and"
                + " direct S3 pays for neither. The same per-call cost is the added time to first"
                + " byte. On large objects the ceiling is different: every byte crosses two"
                + " sockets and one more JVM copy than direct S3 on the same two cores.%n%n"
                + "**Proposed fix.** (1) Cut the per-request SDK cost: build the filter's"
                + " `S3Client` with only what a GET needs (no extra interceptors, checksums"
                + " `WHEN_REQUIRED`, as here), and measure a lean path that signs with the SDK's"
                + " `AwsV4HttpSigner` directly and sends through the pooled Apache client,"
                + " skipping the pipeline stages (target: half the SDK share above). (2) Judge"
                + " the ≥ 0.9× direct and ≤ 1 ms TTFB targets on a machine where S3 is not"
                + " sharing the cores: here S3Proxy's CPU is taken from the filter (%.0f %% of"
                + " the busy time is the harness JVM). (3) Keep the 64 KiB buffer: the buffer is"
                + " not where the time goes (see the tuning table).%n",
            filterShare * 100,
            100.0 * sdk / Math.max(1, p.samples()),
            100.0 * signing / Math.max(1, p.samples()),
            100.0 * jetty / Math.max(1, p.samples()),
            100.0
                * p.exclusive().getOrDefault("the filter (dev.s3redirect)", 0L)
                / Math.max(1, p.samples()),
            p.cpuShares().getOrDefault("harness JVM (S3Proxy; wrk's reporting)", 0.0) * 100));
    return md.toString();
  }

  private static String row(String name, long count, long total) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.1f %% |%n",
        name,
        count,
        total == 0 ? 0 : 100.0 * count / total);
  }

  // ---------------------------------------------------------------- helpers

  private static String tool(String variable, String name) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String d : List.of(dir, "/usr/sbin", "/usr/bin")) {
        Path candidate = Path.of(d.isEmpty() ? "." : d, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return null;
  }

  private static String firstLine(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      String line = text.lines().findFirst().orElse("");
      return line.replace("nginx version: ", "").replaceAll(" \\[.*", "");
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String cpuModel() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.exists(cpuinfo)) {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    }
    return System.getProperty("os.arch");
  }

  private static String memTotal() throws IOException {
    Path meminfo = Path.of("/proc/meminfo");
    if (Files.exists(meminfo)) {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("\\D", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        }
      }
    }
    return "unknown";
  }

  private static String osName() throws IOException {
    Path release = Path.of("/etc/os-release");
    if (Files.exists(release)) {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring(12).replace("\"", "")
              + ", kernel "
              + System.getProperty("os.version");
        }
      }
    }
    return System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  private static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    if (!Files.exists(loadavg)) {
      return "unknown";
    }
    String[] parts = Files.readString(loadavg).trim().split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min)";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void log(String message) {
    System.out.println("[bench] " + message);
  }

  /** Counts the HTTP requests an SDK client sends, retries included. */
  private static final class CountingInterceptor implements ExecutionInterceptor {
    private final AtomicInteger requests = new AtomicInteger();

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
      requests.incrementAndGet();
    }

    int requests() {
      return requests.get();
    }
  }
}
