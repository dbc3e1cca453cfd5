package dev.s3redirect.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Well-behaved clients: a few threads, each GETting the given objects in turn over keep-alive
 * connections ({@code HttpURLConnection}) for a fixed time, every body read to the end and its
 * SHA-256 compared. A request succeeds with 200 and the exact bytes within the timeout.
 */
final class NormalClients {

  private NormalClients() {}

  /** An object the clients fetch: its label in the report, URL path, size and digest. */
  record Fetch(String label, String path, long size, String digest) {}

  /** What the clients saw. */
  record Outcome(
      int ok,
      int failed,
      Map<String, Integer> failures,
      Map<String, List<Double>> latencies,
      double seconds,
      long bytes) {

    int attempts() {
      return ok + failed;
    }

    double successRate() {
      return attempts() == 0 ? 0 : ok / (double) attempts();
    }

    double requestsPerSecond() {
      return ok / seconds;
    }

    double mibPerSecond() {
      return bytes / seconds / (1024.0 * 1024.0);
    }

    /** The latency percentile of one object's successful requests, in ms; NaN without any. */
    double percentile(String label, double p) {
      List<Double> l = latencies.getOrDefault(label, List.of());
      return l.isEmpty() ? Double.NaN : Stats.percentile(l, p);
    }
  }

  static Outcome run(int port, List<Fetch> fetches, int workers, int seconds, int timeoutSeconds)
      throws InterruptedException {
    Map<String, List<Double>> latencies = new LinkedHashMap<>();
    for (Fetch f : fetches) {
      latencies.put(f.label(), Collections.synchronizedList(new ArrayList<>()));
    }
    Map<String, Integer> failures = new ConcurrentHashMap<>();
    AtomicLong ok = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int first = w;
      Thread t =
          new Thread(
              () -> {
                for (int i = first; System.nanoTime() < deadline; i++) {
                  Fetch f = fetches.get(i % fetches.size());
                  long t0 = System.nanoTime();
                  String failure = fetch(port, f, timeoutSeconds);
                  if (failure == null) {
                    ok.incrementAndGet();
                    bytes.addAndGet(f.size());
                    latencies.get(f.label()).add((System.nanoTime() - t0) / 1e6);
                  } else {
                    failures.merge(failure, 1, Integer::sum);
                  }
                }
              },
              "normal-client-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    latencies.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return new Outcome((int) ok.get(), failed, new TreeMap<>(failures), copy, elapsed, bytes.get());
  }

  /** Null for a complete, exact 200; else a short reason. */
  private static String fetch(int port, Fetch f, int timeoutSeconds) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + f.path()).toURL().openConnection();
      c.setConnectTimeout(5_000);
      c.setReadTimeout(timeoutSeconds * 1000);
      int status = c.getResponseCode();
      if (status != 200) {
        try (InputStream err = c.getErrorStream()) {
          if (err != null) {
            err.readAllBytes();
          }
        }
        return "HTTP " + status;
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long length = 0;
      try (InputStream in = c.getInputStream()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          sha.update(buffer, 0, n);
          length += n;
        }
      }
      if (length != f.size()) {
        return "short body";
      }
      return HexFormat.of().formatHex(sha.digest()).equals(f.digest()) ? null : "wrong bytes";
    } catch (SocketTimeoutException e) {
      return "no byte for " + timeoutSeconds + " s (timed out)";
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
