package dev.s3redirect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.embedded.RawHttp;
import dev.s3redirect.testing.CountingInterceptor;
import dev.s3redirect.testing.Multipart;
import dev.s3redirect.testing.RedirectingApp;
import dev.s3redirect.testing.S3ProxyBackend;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bounded soak: many concurrent clients mixing whole, ranged, multipart, conditional, HEAD and
 * abandoned requests against the filter on Jetty and S3Proxy, for a few minutes on loopback. Not
 * part of the default build: {@code mvn -B -ntp -pl filter-core -am -Psoak verify}, with {@code
 * -Dsoak.duration=PT10M} and {@code -Dsoak.clients=64} to change its length and load.
 *
 * <p>It fails on any unexpected status or byte, on a connection pool that does not come back to
 * idle, and on a heap that does not come back to where it started; it writes its figures to {@code
 * target/soak-report.md}.
 */
class S3ProxySoak {

  private static final String BUCKET = "soak";
  private static final int POOL = 16;
  private static final Map<String, byte[]> OBJECTS = new ConcurrentHashMap<>();

  private enum Kind {
    WHOLE,
    RANGE,
    MULTIPART,
    NOT_MODIFIED,
    PRECONDITION_FAILED,
    HEAD,
    ABANDONED
  }

  private final Map<Kind, LongAdder> done = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final Map<String, String> eTags = new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void manyClientsMixingEveryKindOfRequest() throws Exception {
    Duration duration = Duration.parse(System.getProperty("soak.duration", "PT2M"));
    int clients = Integer.getInteger("soak.clients", 32);
    CountingInterceptor s3Requests = new CountingInterceptor();
    try (S3ProxyBackend backend = new S3ProxyBackend();
        S3Client admin = backend.clientBuilder(backend.endpoint()).build();
        S3Client client =
            backend
                .clientBuilder(backend.endpoint())
                .httpClientBuilder(
                    Apache5HttpClient.builder()
                        .maxConnections(POOL)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(s3Requests))
                .build();
        RedirectingApp app =
            new RedirectingApp(client, S3RedirectSettings.builder().allow(BUCKET).build())) {
      admin.createBucket(b -> b.bucket(BUCKET));
      Random random = new Random(11);
      for (var size : List.of(4 * 1024, 1024 * 1024, 16 * 1024 * 1024)) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        String key = "object-" + size + ".bin";
        OBJECTS.put(key, bytes);
        eTags.put(
            key,
            admin.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes)).eTag());
      }
      for (Kind kind : Kind.values()) {
        done.put(kind, new LongAdder());
      }

      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      runClients(app, clients, Duration.ofSeconds(5)); // warm-up: JIT, pools, buffers
      long heapBefore = usedHeapAfterGc(memory);
      int threadsBefore = Thread.activeCount();
      long s3Before = s3Requests.requests();
      AtomicLong peakHeap = new AtomicLong();
      var sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(
          () -> peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
          0,
          200,
          TimeUnit.MILLISECONDS);
      done.values().forEach(LongAdder::reset);
      long start = System.nanoTime();
      runClients(app, clients, duration);
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.shutdownNow();
      long s3 = s3Requests.requests() - s3Before;

      boolean poolIdle = poolComesBackToIdle(app);
      awaitQuiet(app);
      long heapAfter = usedHeapAfterGc(memory);
      int threadsAfter = Thread.activeCount();
      long total = done.values().stream().mapToLong(LongAdder::sum).sum();

      String report =
          report(
              duration,
              clients,
              seconds,
              total,
              s3,
              heapBefore,
              peakHeap.get(),
              heapAfter,
              threadsBefore,
              threadsAfter,
              poolIdle);
      Path target = Path.of("target", "soak-report.md");
      Files.createDirectories(target.getParent());
      Files.writeString(target, report, UTF_8);
      System.out.println(report);

      assertThat(failures).as("unexpected answers").isEmpty();
      assertThat(total).isPositive();
      assertThat(poolIdle).as("every pooled S3 connection usable at once after the soak").isTrue();
      assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(32L << 20);
      assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 8);
      assertThat(app.events()).noneMatch(e -> e.outcome() == Outcome.UPSTREAM_FAILED);
    }
  }

  private void runClients(RedirectingApp app, int clients, Duration duration) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Random random = new Random(1000 + i);
        running.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < deadline) {
                    exchange(app, random);
                  }
                  return null;
                }));
      }
      for (Future<?> client : running) {
        client.get(duration.toSeconds() + 120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void exchange(RedirectingApp app, Random random) {
    List<String> keys = List.copyOf(OBJECTS.keySet());
    String key = keys.get(random.nextInt(keys.size()));
    byte[] object = OBJECTS.get(key);
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    String path =
        "/app/x?redirect=" + URLEncoder.encode(S3Location.of(BUCKET, key).toHeaderValue(), UTF_8);
    try {
      switch (kind) {
        case WHOLE -> {
          HttpResponse<byte[]> response = send(app, "GET", path);
          expect(kind, key, response.statusCode() == 200 && Arrays.equals(response.body(), object));
        }
        case RANGE -> {
          int first = random.nextInt(object.length);
          int last = first + random.nextInt(object.length - first);
          HttpResponse<byte[]> response =
              send(app, "GET", path, "Range", "bytes=" + first + "-" + last);
          expect(
              kind,
              key,
              response.statusCode() == 206
                  && Arrays.equals(response.body(), Arrays.copyOfRange(object, first, last + 1)));
        }
        case MULTIPART -> {
          int a = random.nextInt(object.length / 4);
          int b = object.length / 2 + random.nextInt(object.length / 4);
          HttpResponse<byte[]> response =
              send(app, "GET", path, "Range", "bytes=0-" + a + "," + b + "-" + (b + 99));
          boolean ok = response.statusCode() == 206;
          if (ok) {
            List<Multipart.Part> parts =
                Multipart.parse(
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
            ok =
                parts.size() == 2
                    && Arrays.equals(parts.get(0).body(), Arrays.copyOfRange(object, 0, a + 1))
                    && Arrays.equals(parts.get(1).body(), Arrays.copyOfRange(object, b, b + 100));
          }
          expect(kind, key, ok);
        }
        case NOT_MODIFIED -> {
          HttpResponse<byte[]> response = send(app, "GET", path, "If-None-Match", eTags.get(key));
          expect(kind, key, response.statusCode() == 304 && response.body().length == 0);
        }
        case PRECONDITION_FAILED -> {
          HttpResponse<byte[]> response = send(app, "GET", path, "If-Match", "\"stale\"");
          expect(kind, key, response.statusCode() == 412);
        }
        case HEAD -> {
          HttpResponse<byte[]> response = send(app, "HEAD", path);
          expect(
              kind,
              key,
              response.statusCode() == 200
                  && response
                      .headers()
                      .firstValue("Content-Length")
                      .equals(java.util.Optional.of(Integer.toString(object.length))));
        }
        case ABANDONED -> {
          abandon(app, path, random.nextInt(object.length));
          done.get(kind).increment();
        }
      }
    } catch (IOException | RuntimeException | AssertionError e) {
      failures.add(kind + " " + key + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void expect(Kind kind, String key, boolean ok) {
    if (ok) {
      done.get(kind).increment();
    } else {
      failures.add(kind + " " + key + ": unexpected answer");
    }
  }

  private HttpResponse<byte[]> send(
      RedirectingApp app, String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(app.uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), BodyHandlers.ofByteArray());
  }

  /** Reads some of the body, then resets the connection. */
  private static void abandon(RedirectingApp app, String path, int bytes) throws IOException {
    try (Socket socket = RawHttp.get(app.port(), path)) {
      RawHttp.readThenReset(socket, bytes);
    }
  }

  /**
   * Holds every pooled S3 connection at once: each of {@value #POOL} concurrent downloads of the
   * largest object pauses after its first bytes, so all are leased together. A connection left
   * leased by the soak makes one of them wait past the acquisition timeout and fail.
   */
  private boolean poolComesBackToIdle(RedirectingApp app) throws Exception {
    String key = "object-" + 16 * 1024 * 1024 + ".bin";
    String path =
        "/app/x?redirect=" + URLEncoder.encode(S3Location.of(BUCKET, key).toHeaderValue(), UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(POOL);
    try {
      List<Future<Boolean>> downloads = new ArrayList<>();
      for (int i = 0; i < POOL; i++) {
        downloads.add(
            pool.submit(
                () -> {
                  HttpRequest request = HttpRequest.newBuilder(app.uri(path)).build();
                  HttpResponse<InputStream> response =
                      http.send(request, BodyHandlers.ofInputStream());
                  try (InputStream in = response.body()) {
                    byte[] head = in.readNBytes(64 * 1024);
                    Thread.sleep(1_000);
                    byte[] rest = in.readAllBytes();
                    byte[] all = Arrays.copyOf(head, head.length + rest.length);
                    System.arraycopy(rest, 0, all, head.length, rest.length);
                    return response.statusCode() == 200 && Arrays.equals(all, OBJECTS.get(key));
                  }
                }));
      }
      boolean all = true;
      for (Future<Boolean> download : downloads) {
        all &= download.get(60, TimeUnit.SECONDS);
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitQuiet(RedirectingApp app) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int events = -1;
    while (System.nanoTime() < deadline && events != app.events().size()) {
      events = app.events().size();
      Thread.sleep(500);
    }
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private String report(
      Duration duration,
      int clients,
      double seconds,
      long total,
      long s3,
      long heapBefore,
      long peakHeap,
      long heapAfter,
      int threadsBefore,
      int threadsAfter,
      boolean poolIdle) {
    StringBuilder out = new StringBuilder();
    out.append("# Soak report\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%s, %d clients, %.0f s, Java %s, %d cores, max heap %d MiB%n%n",
            duration,
            clients,
            seconds,
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().maxMemory() >> 20));
    out.append("| requests | kind |\n|---:|---|\n");
    for (Kind kind : Kind.values()) {
      out.append("| ").append(done.get(kind).sum()).append(" | ").append(kind).append(" |\n");
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%n| figure | value |%n|---|---|%n"
                + "| client requests | %d (%.0f/s) |%n"
                + "| unexpected statuses or bytes | %d |%n"
                + "| S3 requests | %d (%.2f per client request) |%n"
                + "| heap after GC, before → after | %d MiB → %d MiB |%n"
                + "| heap peak, sampled every 200 ms (test clients hold whole bodies) | %d MiB |%n"
                + "| live threads, before → after | %d → %d |%n"
                + "| S3 connection pool (%d) all usable at once after | %s |%n",
            total,
            total / seconds,
            failures.size(),
            s3,
            (double) s3 / Math.max(total, 1),
            heapBefore >> 20,
            heapAfter >> 20,
            peakHeap >> 20,
            threadsBefore,
            threadsAfter,
            POOL,
            poolIdle ? "yes" : "NO"));
    failures.stream().limit(20).forEach(failure -> out.append("\n- ").append(failure));
    return out.toString();
  }
}
