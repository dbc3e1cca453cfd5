package dev.s3redirect.bench;

import dev.s3redirect.S3RedirectSettings;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the side-by-side benchmark of issue 12 on loopback and writes {@code REPORT.md} and {@code
 * throughput.png}: direct S3, the filter with every engine of {@link Engines}, the nginx {@code
 * X-Accel-Redirect} recipe and read-into-memory, each path in processes of its own.
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
  private static final String STALL = "stalled-64MiB.bin";
  private static final String ABANDON = "abandoned-64MiB.bin";
  private static final String ACCESS_KEY = "bench-access";
  private static final String SECRET_KEY = "bench-secret-key";

  private final Mode mode;
  private final Path out;
  private final List<String> notes = new ArrayList<>();
  private final Results results = new Results();
  private final Map<String, String> digests = new LinkedHashMap<>();
  private final Map<Target, Map<String, String>> urls = new LinkedHashMap<>();
  private final Map<Target, ChildJvm> apps = new LinkedHashMap<>();
  private final List<Report.Verdict> extraVerdicts = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private String wrk;
  private Path wrkScript;
  private S3ServerProcess s3;
  private Nginx nginx;
  private ChildJvm accel;
  private int tuningPort;
  private final String java17 = ProcessHandle.current().info().command().orElse("java");
  private final StringBuilder extra = new StringBuilder();

  /** The filter buffer sizes compared in the tuning section, in bytes. */
  private static final List<Integer> BUFFER_SIZES = ChildApp.TUNING_BUFFERS;

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
      int slowLimitSeconds,
      int profileWarmupSeconds,
      int profileSeconds,
      SlowClientsWorkload.Plan slowPlan) {}

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
          // quick: the side-by-side table and the profiles, in about two minutes
          case "quick" ->
              new Mode(
                  "quick",
                  3,
                  2,
                  1,
                  64,
                  30,
                  20,
                  2,
                  120,
                  40,
                  3,
                  5,
                  new SlowClientsWorkload.Plan(2000, 100, 4, 8, 1, 8, 10));
          case "full" ->
              new Mode(
                  "full",
                  5,
                  8,
                  3,
                  256,
                  100,
                  50,
                  5,
                  300,
                  60,
                  8,
                  15,
                  new SlowClientsWorkload.Plan(2000, 200, 4, 20, 3, 10, 10));
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
    List<S3ServerProcess.ObjectSpec> objects = new ArrayList<>();
    objects.add(new S3ServerProcess.ObjectSpec(SMALL, 4 * 1024, 1));
    objects.add(new S3ServerProcess.ObjectSpec(MEDIUM, 1024 * 1024, 2));
    objects.add(new S3ServerProcess.ObjectSpec(LARGE, mode.largeMiB() * 1024 * 1024, 3));
    boolean slow13 = section("slow13");
    if (slow13) {
      objects.add(new S3ServerProcess.ObjectSpec(STALL, 64 * 1024 * 1024, 4));
      objects.add(new S3ServerProcess.ObjectSpec(ABANDON, 64 * 1024 * 1024, 5));
    }
    env.put("large object", mode.largeMiB() + " MiB");
    try {
      int s3Port = freePort();
      log("starting the S3 server (child JVM) on " + s3Port + " and storing the objects");
      s3 =
          S3ServerProcess.start(
              java17,
              mode.largeMiB() >= 256 ? "3g" : "1g",
              s3Port,
              ACCESS_KEY,
              SECRET_KEY,
              BUCKET,
              objects);
      digests.putAll(s3.digests());
      ChildWorkloads.S3Access access =
          new ChildWorkloads.S3Access(s3.endpoint().toString(), ACCESS_KEY, SECRET_KEY, BUCKET);
      startTargets(access, nginxBinary);
      List<Target> targets = new ArrayList<>(urls.keySet());
      verify(targets);
      List<Report.S3Count> counts = List.of();
      if (section("side")) {
        measure(targets);
        counts = countS3Requests();
      }
      ChildWorkloads children = new ChildWorkloads(access);
      if (section("profile")) {
        extra.append(profiles(children));
      }
      if (section("buffers")) {
        extra.append(tuneBuffers(access));
      }
      if (section("memory")) {
        extra.append(heapAndRss(children));
      } else {
        extraVerdicts.add(
            new Report.Verdict(
                "every filter row",
                "heap flat in object size: 100 × " + mode.largeMiB() + " MiB at -Xmx64m",
                "full mode only",
                null,
                ""));
      }
      stopTargets();
      if (slow13) {
        extra.append(slowClients13(access));
      }
      if (section("slow")) {
        extra.append(slowClients(children));
      }
      if (section("buffers")) {
        extra.append(defaults());
      }
      if (!mode.name().equals("full")) {
        extra.append(
            "\n## Not run in quick mode\n\n"
                + "Quick mode measures the side-by-side table and the profiles only: run"
                + " `benchmarks/run.sh full` for the buffer and HTTP-client tuning, 100"
                + " downloads at -Xmx64m, slow clients (issue 13, and 1,000 on virtual threads)"
                + " and the defaults they support.\n");
      }
      env.put("load average at end", loadAverage());
      env.put(
          "run time", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));
      writeReport(env, targets, counts, gnuplot);
    } finally {
      stopTargets();
      if (s3 != null) {
        s3.close();
      }
      Files.deleteIfExists(wrkScript);
    }
    log("done in " + (System.nanoTime() - started) / 1_000_000_000 + " s");
  }

  // ---------------------------------------------------------------- setup

  /** Each path's application in a child JVM of its own, and nginx. */
  private void startTargets(ChildWorkloads.S3Access access, String nginxBinary) throws Exception {
    Target direct = Target.direct();
    Map<String, String> d = new LinkedHashMap<>();
    try (var presigner =
        software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
            .endpointOverride(s3.endpoint())
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        ACCESS_KEY, SECRET_KEY)))
            .serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder()
                    .pathStyleAccessEnabled(true)
                    .build())
            .build()) {
      for (String key : digests.keySet()) {
        d.put(
            key,
            presigner
                .presignGetObject(
                    p ->
                        p.signatureDuration(Duration.ofHours(3))
                            .getObjectRequest(g -> g.bucket(BUCKET).key(key)))
                .url()
                .toString());
      }
    }
    urls.put(direct, d);
    List<String> heap = List.of("-Xmx1g", "-XX:+UseG1GC");
    for (String engine : Engines.names()) {
      Target t = Target.filter(engine);
      ChildJvm child =
          ChildJvm.start(java17, heap, access.args("filter", engine, 64, 64 * 1024, "platform"));
      apps.put(t, child);
      urls.put(t, paths("http://127.0.0.1:" + child.port() + "/app/"));
      log(t.label() + ": child JVM " + child.pid() + " on " + child.port());
    }
    if (nginxBinary != null) {
      accel = ChildJvm.start(java17, heap, access.args("accel", "sdk", 64, 64 * 1024, "platform"));
      nginx = Nginx.start(nginxBinary, freePort(), accel.port(), s3.port());
      urls.put(Target.nginx(), paths("http://127.0.0.1:" + nginx.port() + "/accel/"));
      log("nginx on " + nginx.port() + " (config in " + nginx.dir() + "), app " + accel.pid());
    } else {
      notes.add("nginx was not found, so the nginx rows and every target against it are missing.");
    }
    // read-into-memory holds whole objects: 8 concurrent large ones need the heap.
    ChildJvm memory =
        ChildJvm.start(
            java17,
            List.of("-Xmx" + (mode.largeMiB() >= 256 ? "6g" : "2g"), "-XX:+UseG1GC"),
            access.args("memory", "sdk", 64, 64 * 1024, "platform"));
    apps.put(Target.memory(), memory);
    urls.put(Target.memory(), paths("http://127.0.0.1:" + memory.port() + "/mem/"));
  }

  private Map<String, String> paths(String base) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String key : List.of(SMALL, MEDIUM, LARGE)) {
      m.put(key, base + key);
    }
    return m;
  }

  private void stopTargets() {
    if (nginx != null) {
      nginx.close();
      nginx = null;
    }
    if (accel != null) {
      accel.close();
      accel = null;
    }
    apps.values().forEach(ChildJvm::close);
    apps.clear();
  }

  /** CPU ticks so far of the processes that serve {@code target} (not the S3 server). */
  private long pathTicks(Target target) {
    return switch (target.kind()) {
      case DIRECT -> 0;
      case NGINX -> nginx.cpuTicks() + Math.max(0, accel.cpuTicks());
      default -> Math.max(0, apps.get(target).cpuTicks());
    };
  }

  /** Every target returns 200 and exactly the stored bytes for every object. */
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
              target.label()
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
      log(
          "verified "
              + target.label()
              + ": 200 and exact bytes for "
              + urls.get(target).size()
              + " objects");
    }
  }

  // ---------------------------------------------------------------- measuring

  private void measure(List<Target> targets) throws Exception {
    log("warm-up, " + mode.warmupSeconds() + " s per target and workload");
    for (Target t : targets) {
      wrk(t, LARGE, 1, 1, mode.warmupSeconds());
      wrk(t, LARGE, 2, 8, mode.warmupSeconds());
      wrk(t, SMALL, 2, 16, mode.warmupSeconds());
      wrk(t, SMALL, 2, 32, mode.warmupSeconds());
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
        long path0 = pathTicks(t);
        long s30 = s3.cpuTicks();
        WrkResult r = wrk(t, SMALL, 2, 16, mode.seconds());
        long pathUsed = pathTicks(t) - path0;
        long s3Used = s3.cpuTicks() - s30;
        results.add(Metric.SMALL16_RPS, t, r.requestsPerSecond());
        results.add(Metric.SMALL16_P50, t, r.p50Micros() / 1000.0);
        results.add(Metric.SMALL16_P99, t, r.p99Micros() / 1000.0);
        if (r.requests() > 0 && t.kind() != Target.Kind.DIRECT) {
          double msPerTick = 1000.0 / SystemCpu.TICKS_PER_SECOND;
          results.add(Metric.SMALL16_CPU_PATH, t, pathUsed * msPerTick / r.requests());
          results.add(Metric.SMALL16_CPU_S3, t, s3Used * msPerTick / r.requests());
        }
        check(t, "small ×16", round, r);
      }
      for (Target t : order) {
        WrkResult r = wrk(t, SMALL, 2, 32, mode.seconds());
        results.add(Metric.SMALL32_RPS, t, r.requestsPerSecond());
        results.add(Metric.SMALL32_P50, t, r.p50Micros() / 1000.0);
        results.add(Metric.SMALL32_P99, t, r.p99Micros() / 1000.0);
        check(t, "small ×32", round, r);
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
              t.label(),
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
              t.label(),
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
          throw new IllegalStateException(target.label() + ": status " + response.statusCode());
        }
        samples.add((System.nanoTime() - start) / 1e6);
        while (in.read(buffer) >= 0) {
          // drain, so that the connection is reused
        }
      }
    }
    return Stats.percentile(samples, 50);
  }

  private List<Report.S3Count> countS3Requests() throws Exception {
    List<Report.S3Count> counts = new ArrayList<>();
    for (var e : apps.entrySet()) {
      Target t = e.getKey();
      URI uri = URI.create(urls.get(t).get(MEDIUM));
      counts.add(count(t, e.getValue(), "full GET", uri, null, null));
      if (t.isFilter()) {
        String etag =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .headers()
                .firstValue("ETag")
                .orElseThrow();
        counts.add(count(t, e.getValue(), "single-range", uri, "Range", "bytes=0-1023"));
        counts.add(count(t, e.getValue(), "conditional", uri, "If-None-Match", etag));
      }
    }
    return counts;
  }

  private Report.S3Count count(
      Target target, ChildJvm app, String kind, URI uri, String header, String value)
      throws Exception {
    long before = app.s3Requests();
    int status = 0;
    for (int i = 0; i < mode.countRequests(); i++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
      if (header != null) {
        b.header(header, value);
      }
      HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (status != 0 && status != response.statusCode()) {
        notes.add(target.label() + " " + kind + ": statuses varied");
      }
      status = response.statusCode();
    }
    return new Report.S3Count(
        target, kind, mode.countRequests(), app.s3Requests() - before, status);
  }

  // ---------------------------------------------------------------- profiles

  /** Allocation per request and where the time goes, for every engine, on the 4 KiB load. */
  private String profiles(ChildWorkloads children) throws Exception {
    List<ChildWorkloads.EngineProfile> profiles = new ArrayList<>();
    for (String engine : Engines.names()) {
      log("profile: " + Engines.label(engine) + ", JFR under the 4 KiB load");
      profiles.add(
          children.profile(
              engine,
              SMALL,
              (url, s) -> wrkUrl(url, 2, 16, s),
              mode.profileWarmupSeconds(),
              mode.profileSeconds(),
              s3::cpuTicks));
    }
    StringBuilder md = new StringBuilder();
    md.append("\n## Where the time and the allocation go, per engine (JFR, 4 KiB objects)\n\n")
        .append("Each engine's filter in a fresh child JVM of its own (Java 17, `-Xmx512m`,")
        .append(" Apache 5 pool of 64), wrk as in the 4 KiB workload (2 threads, 16 connections)")
        .append(" for ")
        .append(mode.profileWarmupSeconds())
        .append(" s of warm-up, then ")
        .append(mode.profileSeconds())
        .append(" s under `jcmd <pid> JFR.start settings=profile` (Java execution samples every")
        .append(" 10 ms per running thread, `jdk.ObjectAllocationSample` throttled to 300/s,")
        .append(" `jdk.ThreadAllocationStatistics` at the recording's start and end), read with")
        .append(" `jdk.jfr.consumer.RecordingFile`. A sample is charged to the first layer met")
        .append(" walking down its stack from the top frame, so JDK code counts for the library")
        .append(" that called it. Allocation per request is the bytes every thread allocated")
        .append(" between the two statistics events ÷ the requests wrk completed in the window;")
        .append(" the split by layer uses the allocation samples' weights. Requests/s are with")
        .append(" JFR on and not comparable with the table above.\n\n");
    md.append("| | ");
    profiles.forEach(p -> md.append(Engines.label(p.engine())).append(" | "));
    md.append("\n|---|");
    profiles.forEach(p -> md.append("---:|"));
    md.append("\n");
    rowOf(md, "requests/s during the recording", profiles, p -> Report.fmt(p.requestsPerSecond()));
    rowOf(
        md,
        "**allocated per request**",
        profiles,
        p -> "**" + ChildWorkloads.kib(p.allocatedPerRequest()) + "**");
    rowOf(md, "execution samples", profiles, p -> Long.toString(p.jfr().executionSamples()));
    for (JfrSummary.Layer l : JfrSummary.Layer.values()) {
      rowOf(
          md,
          "CPU samples: " + l.label,
          profiles,
          p -> share(p.jfr().time().get(l), p.jfr().executionSamples()));
    }
    for (JfrSummary.Layer l : JfrSummary.Layer.values()) {
      rowOf(
          md,
          "allocation: " + l.label,
          profiles,
          p -> {
            double total = p.jfr().sampledAllocationBytes();
            double v = p.jfr().allocationByLayer().getOrDefault(l, 0.0);
            return total == 0
                ? "—"
                : String.format(
                    Locale.ROOT,
                    "%.0f %% (%s/req)",
                    100 * v / total,
                    ChildWorkloads.kib(p.allocatedPerRequest() * v / total));
          });
    }
    if (!profiles.isEmpty()) {
      for (String k : profiles.get(0).cpuShares().keySet()) {
        rowOf(
            md,
            "machine CPU: " + k,
            profiles,
            p -> {
              double v = p.cpuShares().getOrDefault(k, 0.0);
              return k.startsWith("busy")
                  ? Report.fmt(v)
                  : String.format(Locale.ROOT, "%.0f %%", v * 100);
            });
      }
    }
    md.append(
        "\nInclusive shares (a frame of the layer anywhere on the stack; layers nest, so they"
            + " overlap):\n\n| layer | ");
    profiles.forEach(p -> md.append(Engines.label(p.engine())).append(" | "));
    md.append("\n|---|");
    profiles.forEach(p -> md.append("---:|"));
    md.append("\n");
    for (JfrSummary.Layer l : JfrSummary.Layer.values()) {
      if (l == JfrSummary.Layer.OTHER) {
        continue;
      }
      rowOf(
          md,
          l.label,
          profiles,
          p -> share(p.jfr().timeInclusive().get(l), p.jfr().executionSamples()));
    }
    for (ChildWorkloads.EngineProfile p : profiles) {
      md.append("\nTop frames, ").append(Engines.label(p.engine())).append(":\n\n");
      md.append("| method | samples | share |\n|---|---:|---:|\n");
      p.jfr()
          .topMethods()
          .forEach(
              (k, v) ->
                  md.append("| `")
                      .append(k)
                      .append("` | ")
                      .append(v)
                      .append(" | ")
                      .append(share(v, p.jfr().executionSamples()))
                      .append(" |\n"));
      md.append("\nMost allocated classes, ").append(Engines.label(p.engine())).append(":\n\n");
      md.append("| class | share of sampled bytes |\n|---|---:|\n");
      double total = p.jfr().sampledAllocationBytes();
      p.jfr()
          .topAllocatedClasses()
          .forEach(
              (k, v) ->
                  md.append("| `")
                      .append(k)
                      .append("` | ")
                      .append(
                          String.format(Locale.ROOT, "%.1f %%", total == 0 ? 0 : 100 * v / total))
                      .append(" |\n"));
    }
    return md.toString();
  }

  private static void rowOf(
      StringBuilder md,
      String name,
      List<ChildWorkloads.EngineProfile> profiles,
      java.util.function.Function<ChildWorkloads.EngineProfile, String> cell) {
    md.append("| ").append(name).append(" | ");
    profiles.forEach(p -> md.append(cell.apply(p)).append(" | "));
    md.append("\n");
  }

  private static String share(Long count, long total) {
    long c = count == null ? 0 : count;
    return String.format(Locale.ROOT, "%.1f %%", total == 0 ? 0 : 100.0 * c / total);
  }

  // ---------------------------------------------------------------- issue 13

  private String slowClients13(ChildWorkloads.S3Access access) throws Exception {
    SlowClientsWorkload.Plan plan = mode.slowPlan();
    log(
        "slow clients (issue 13): "
            + plan.slowClients()
            + " stalled clients, rows "
            + SettingsRows.compared());
    try (KeyCountingRelay relay = new KeyCountingRelay(s3.port())) {
      ChildWorkloads.S3Access viaRelay =
          new ChildWorkloads.S3Access(
              "http://127.0.0.1:" + relay.port(),
              access.accessKey(),
              access.secretKey(),
              access.bucket());
      SlowClientsWorkload workload =
          new SlowClientsWorkload(
              viaRelay,
              java17,
              List.of(
                  new NormalClients.Fetch(
                      SlowClientsWorkload.MIB_LABEL,
                      "/app/" + MEDIUM,
                      1024 * 1024,
                      digests.get(MEDIUM)),
                  new NormalClients.Fetch(
                      SlowClientsWorkload.KIB_LABEL,
                      "/app/" + SMALL,
                      4 * 1024,
                      digests.get(SMALL))),
              STALL,
              ABANDON);
      return SlowClientsWorkload.markdown(plan, workload.run(plan, SettingsRows.compared(), relay));
    }
  }

  // ---------------------------------------------------------------- report

  private void writeReport(
      Map<String, String> env, List<Target> targets, List<Report.S3Count> counts, String gnuplot)
      throws Exception {
    Files.createDirectories(out);
    if (!section("side")) {
      Files.writeString(out.resolve("REPORT.md"), "# Partial run (BENCH_ONLY)\n" + extra);
      log("wrote " + out.resolve("REPORT.md"));
      return;
    }
    Target base =
        targets.stream()
            .filter(t -> t.kind() == Target.Kind.NGINX)
            .findFirst()
            .orElse(targets.get(0));
    String chart = null;
    if (gnuplot != null) {
      chart =
          Chart.write(gnuplot, out.resolve("throughput.png"), results, targets, base, mode.name());
      if (chart == null) {
        notes.add("gnuplot failed; no chart this run.");
      }
    } else {
      notes.add("gnuplot was not found; no chart this run.");
    }
    List<String> method =
        List.of(
            "Every path runs in processes of its own, all on 127.0.0.1: the **S3 server** is"
                + " S3Proxy in memory with SigV4 checked on every request, in a child JVM"
                + " (`EmbeddedS3Main`, Java 17) with the objects stored before timing; each"
                + " **filter row** (one per engine) is Jetty 12 + the filter + its engine in a"
                + " child JVM (Java 17, `-Xmx1g`, 200 request threads, S3 pool of 64, "
                + SettingsRows.row(SettingsRows.DEFAULTS).label()
                + ", filter and servlet async-supported); the"
                + " **nginx recipe** is nginx (the anchor configuration"
                + " `shared/anchors/nginx-x-accel-recipe.conf`, copied verbatim into the module"
                + " and only its ports filled: 2 workers, `proxy_buffers 32 256k`, upstream"
                + " keep-alive 32) plus its application in a child JVM; **read into memory** is a"
                + " child JVM of its own; wrk and the harness are processes of their own.",
            "Signing: every path that reaches S3 is authenticated. **direct S3**: wrk GETs"
                + " presigned URLs (SigV4 query signature, made once by the harness). **nginx"
                + " X-Accel-Redirect**: nginx → the application, which presigns a GET per request"
                + " (SDK `S3Presigner`) and answers `X-Accel-Redirect:"
                + " /s3signed/<bucket>/<key>?<presigned query>` → nginx's `internal` location →"
                + " the S3 server, which checks the signature. **filter**: the servlet sets"
                + " `X-S3-Redirect`; the filter's engine signs each `GetObject` (SigV4 header"
                + " signature, per request) and streams with the default 64 KiB buffer. **read"
                + " into memory**: SDK `getObjectAsBytes` (signed per request), then the array.",
            "Before timing, every target returned 200 and the exact bytes (SHA-256) of every object.",
            "Large object: wrk with 1 connection (1 thread) and 8 connections (2 threads) for "
                + mode.seconds()
                + " s; throughput is wrk's bytes read ÷ duration (downloads cut at the end count"
                + " their bytes).",
            "Small object (4 KiB): wrk, 2 threads, 16 and then 32 keep-alive connections, "
                + mode.seconds()
                + " s each; requests/s and wrk's latency p50 and p99. During the 16-connection run"
                + " the CPU time (`/proc/<pid>/stat`) of the path's own processes (the filter JVM;"
                + " nginx's master and workers plus its application; the read-into-memory JVM) and"
                + " of the S3 server is divided by the requests completed.",
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
            env,
            method,
            results,
            targets,
            counts,
            notes,
            chart == null ? null : "throughput.png",
            extraVerdicts);
    md += extra;
    md +=
        """

        ## Caveats

        - One 2-core machine holds everything: the S3 server, the applications, nginx and the load
          generator compete for the same cores, so these are relative figures, not capacities.
          Anything else running on the machine shows in the load averages above; the interleaving
          and the per-round ratios are what make the numbers comparable.
        - "S3" is S3Proxy in memory on loopback: no network latency, and its own per-request cost
          (SigV4 checks, Jetty) is part of every path; its CPU is now its own process's, shown
          per request in the results. Against real S3 the time to first byte is dominated by S3.
        - wrk measures throughput over a fixed duration; downloads in flight at the end are cut
          and their bytes counted.
        - The conditional request's second S3 request is by design: S3Proxy's 304 carries only
          the `ETag`, so the filter completes it with a `HeadObject`; against S3 proper this may
          differ, and was not measured here.
        - The child-JVM workloads (profiles, heap and RSS, slow clients) run one at a time after
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
            + " (harness, S3 server and applications)");
    env.put("wrk", firstLine(List.of(wrk, "-v")));
    env.put("nginx", nginxBinary == null ? "not found" : firstLine(List.of(nginxBinary, "-v")));
    env.put("engines", String.join(", ", Engines.names()));
    return env;
  }

  // ---------------------------------------------------------------- more workloads

  /**
   * Whether a section runs: those the environment variable BENCH_ONLY lists; without it, every
   * section in full mode and the side-by-side table and the profiles in quick mode.
   */
  private boolean section(String name) {
    String only = System.getenv("BENCH_ONLY");
    if (only != null && !only.isBlank()) {
      return List.of(only.split(",")).contains(name);
    }
    return mode.name().equals("full") || name.equals("side") || name.equals("profile");
  }

  /** 100 concurrent large downloads from every filter row and from read-into-memory at -Xmx64m. */
  private String heapAndRss(ChildWorkloads children) throws Exception {
    long size = (long) mode.largeMiB() * 1024 * 1024;
    int clients = 100;
    List<ChildWorkloads.BulkOutcome> outcomes = new ArrayList<>();
    for (String engine : Engines.names()) {
      log("heap and RSS: " + clients + " × " + mode.largeMiB() + " MiB, " + Engines.label(engine));
      outcomes.add(
          children.bulk(
              "filter", engine, LARGE, digests.get(LARGE), size, clients, mode.bulkLimitSeconds()));
    }
    log("heap and RSS: read into memory");
    outcomes.add(children.bulk("memory", "sdk", LARGE, digests.get(LARGE), size, clients, 60));
    StringBuilder md = new StringBuilder();
    md.append("\n## Heap and RSS: ")
        .append(clients)
        .append(" concurrent ")
        .append(mode.largeMiB())
        .append(" MiB downloads at -Xmx64m\n\n")
        .append("Each application runs alone in a child JVM (Java 17, `-Xmx64m -XX:+UseG1GC`,")
        .append(" Jetty 12 with 200 platform threads, S3 client pool of 110) against the S3")
        .append(" server process. The harness opens ")
        .append(clients)
        .append(" connections at once (one platform thread each, `HttpURLConnection`), reads every")
        .append(" body to the end and compares its full SHA-256 with the stored object's (every")
        .append(" byte hashed, no sampling). The child prints `MemoryMXBean` heap used and")
        .append(" committed every 200 ms (peaks below); peak RSS is `VmHWM` from")
        .append(" `/proc/<pid>/status`, read before the child is killed. Bounded at ")
        .append(mode.bulkLimitSeconds())
        .append(" s for the filter and 60 s for read-into-memory.\n\n")
        .append("| application | completed byte-exact | failed | wall time | throughput |")
        .append(" peak heap used | peak heap committed | peak RSS | requests that threw |")
        .append(" of them `OutOfMemoryError` | alive at end |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (ChildWorkloads.BulkOutcome o : outcomes) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d of %d | %d | %.1f s | %.0f MiB/s | %s | %s | %s | %d | %d | %s |%n",
              label(o),
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
    for (ChildWorkloads.BulkOutcome o : outcomes) {
      if (!o.failures().isEmpty()) {
        md.append("\nFailures of ").append(label(o)).append(", as the client saw them: ");
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
    for (ChildWorkloads.BulkOutcome o : outcomes) {
      if (!o.app().equals("filter")) {
        continue;
      }
      boolean met = o.ok() == clients;
      String measured =
          String.format(
              Locale.ROOT,
              "%d of %d byte-exact; heap peaked at %s for %s in flight",
              o.ok(),
              clients,
              ChildWorkloads.mib(o.peakHeapUsed()),
              ChildWorkloads.mib((long) clients * size));
      extraVerdicts.add(
          new Report.Verdict(
              "filter, " + Engines.label(o.engine()),
              "heap flat in object size: " + clients + " × " + mode.largeMiB() + " MiB at -Xmx64m",
              measured,
              met,
              met ? "" : (clients - o.ok()) + " downloads failed"));
      md.append("\nTarget \"heap flat in object size\", ")
          .append(label(o))
          .append(": **")
          .append(met ? "met" : "missed")
          .append("** (")
          .append(measured)
          .append(").\n");
    }
    return md.toString();
  }

  private static String label(ChildWorkloads.BulkOutcome o) {
    return o.app().equals("filter")
        ? "filter, " + Engines.label(o.engine()) + " (64 KiB buffer)"
        : "read into memory";
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
  private String tuneBuffers(ChildWorkloads.S3Access access) throws Exception {
    try (ChildJvm tuning =
        ChildJvm.start(
            java17,
            List.of("-Xmx1g", "-XX:+UseG1GC"),
            access.args("filter", "sdk", 64, 64 * 1024, "platform", "tuning=true"))) {
      tuningPort = tuning.port();
      return tuneBuffersOn();
    }
  }

  private String tuneBuffersOn() throws Exception {
    log(
        "buffer sizes "
            + BUFFER_SIZES
            + ", "
            + mode.rounds()
            + " rounds of "
            + mode.tuningSeconds()
            + " s");
    Map<String, String> tuneUrls = new LinkedHashMap<>();
    tuneUrls.put("direct S3", urls.get(Target.direct()).get(LARGE));
    for (int size : BUFFER_SIZES) {
      tuneUrls.put(sizeLabel(size), "http://127.0.0.1:" + tuningPort + "/buf" + size + "/" + LARGE);
    }
    tuneUrls.put(URLCONN, "http://127.0.0.1:" + tuningPort + "/urlconn/" + LARGE);
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
            "The same filter (SDK engine, one S3 client, Apache 5, pool of 64) with each buffer")
        .append(
            " size at its own path of one Jetty in a child JVM of its own, and the filter with 64 KiB on a second S3 client")
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
    md.append("The filter with blocking writes (`writeMode(BLOCKING)`, the row that predates the")
        .append(" non-blocking mode) in a child JVM on Temurin 25 (`-Xmx512m`), Jetty 12 with a")
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
    md.append("- **Connection-pool size** (the lean engine's `maxConnections`, default 200; Apache")
        .append(" 5 `maxConnections` for the SDK engine): with non-blocking writes (the default) a")
        .append(" download whose client stops reading gives its S3 connection back after the stall")
        .append(" timeout and resumes with a ranged GET, so the pool needs to cover the downloads")
        .append(" moving bytes at once, not every client connected (the issue-13 run above held")
        .append(" 2,000 stalled clients with a pool of 50). With blocking writes the filter holds")
        .append(" one S3 connection for as long as its client takes, so the pool must be at least")
        .append(" the number of concurrent downloads; a smaller one makes the rest wait in the")
        .append(" acquisition timeout and then fail. The blocking slow-client run above used 1,100")
        .append(" for 1,000 clients.\n");
    md.append(
            "- **Virtual threads** (with blocking writes, `writeMode(BLOCKING)`): on Java 21+ give")
        .append(" Jetty (or Tomcat, or Spring Boot's `spring.threads.virtual.enabled`) virtual")
        .append(" threads when many clients are slow: ")
        .append(slowVerdict)
        .append(". Blocking writes park on the S3 stream and the servlet output stream, which")
        .append(" virtual threads do cheaply; the non-blocking default is measured in the")
        .append(" slow-clients section of issue 13.\n");
    return md.toString();
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
}
