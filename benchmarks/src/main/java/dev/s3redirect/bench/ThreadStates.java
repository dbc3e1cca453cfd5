package dev.s3redirect.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a child's request threads are doing, from a thread dump ({@code jcmd <pid> Thread.print}):
 * each thread of Jetty's pool counted under the first state its stack shows.
 */
final class ThreadStates {

  private ThreadStates() {}

  /** States in the order they are checked, each with the stack markers that show it. */
  private static final Map<String, List<String>> STATES = states();

  private static Map<String, List<String>> states() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("waiting for an S3 connection from the pool", List.of("ConnPool", "ConnectionRequest"));
    m.put(
        "writing to a client",
        List.of("HttpOutput.write", "HttpOutput.flush", "Blocker", "BlockingBodyWriter"));
    m.put("reading from S3", List.of("org.apache.hc.core5.http.impl.io.SessionInputBuffer"));
    m.put("Jetty selector or acceptor", List.of("ManagedSelector", "ServerConnector.accept"));
    m.put("idle", List.of("idleJobPoll", "ReservedThread.waitForTask"));
    return m;
  }

  /** Counts by state of the threads whose name starts with {@code prefix}. */
  static Map<String, Integer> classify(String dump, String prefix) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String block : dump.split("\n\n")) {
      String b = block.trim();
      if (!b.startsWith("\"" + prefix)) {
        continue;
      }
      String state = "other";
      for (var e : STATES.entrySet()) {
        if (e.getValue().stream().anyMatch(b::contains)) {
          state = e.getKey();
          break;
        }
      }
      counts.merge(state, 1, Integer::sum);
    }
    return counts;
  }

  /** A thread dump of process {@code pid} by the harness JDK's {@code jcmd}, or empty. */
  static String dump(long pid) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      Process p =
          new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** "196 waiting for …, 3 idle" in the counts' order. */
  static String text(Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return "no thread dump";
    }
    StringBuilder sb = new StringBuilder();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(
            e ->
                sb.append(sb.length() == 0 ? "" : ", ")
                    .append(e.getValue())
                    .append(' ')
                    .append(e.getKey()));
    return sb.toString();
  }
}
