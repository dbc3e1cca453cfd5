package dev.s3redirect.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13, "slow clients never hold the application": well-behaved clients with and without 2,000
 * slow ones, for every settings row of {@link SettingsRows}. Each row's filter runs in a child JVM
 * of its own (Java 17, Jetty with 200 platform request threads, an S3 pool of 50) and reaches the
 * S3 server through a {@link KeyCountingRelay}, which says how many bytes S3 sent for the stalled
 * and for the abandoned downloads (each has an object of its own).
 */
final class SlowClientsWorkload {

  /** How big the run is. */
  record Plan(
      int slowClients,
      int abandonClients,
      int normalWorkers,
      int normalSeconds,
      int baselineRounds,
      int settleSeconds,
      int timeoutSeconds) {}

  /** Busy request threads and S3 connections, sampled every 500 ms. */
  record Samples(List<Integer> busy, List<Integer> s3Connections) {
    String busyText() {
      return text(busy);
    }

    String s3Text() {
      return text(s3Connections);
    }

    private static String text(List<Integer> l) {
      if (l.isEmpty()) {
        return "—";
      }
      List<Double> d = new ArrayList<>();
      l.forEach(v -> d.add((double) v));
      return String.format(Locale.ROOT, "%.0f / %d", Stats.percentile(d, 50), Collections.max(l));
    }
  }

  /** One row's figures. */
  record RowResult(
      SettingsRows.Row row,
      List<NormalClients.Outcome> baseline,
      List<Samples> baselineSamples,
      NormalClients.Outcome withSlow,
      Samples slowSamples,
      Map<String, Integer> threadStates,
      int slowStarted,
      int slowOk,
      int slowOpenAtEnd,
      int slowClosedByServer,
      long stallBytes,
      long stallGets,
      int abandonClients,
      int abandonOk,
      long abandonBytes,
      long abandonGets) {}

  /** The engine every row reads through; rows differ only in their settings hook. */
  static final String ENGINE = "lean";

  /**
   * The send buffer of the filter child's accepted connections, as a connection over a real network
   * has it: on loopback (64 KiB segments) Linux grows it to megabytes even for a client that
   * stopped reading, which holds bytes S3 sent and makes the socket writable again and again.
   */
  static final int SEND_BUFFER = 64 * 1024;

  static final String MIB_LABEL = "1 MiB";
  static final String KIB_LABEL = "4 KiB";

  private final ChildWorkloads.S3Access s3;
  private final String java;
  private final List<NormalClients.Fetch> fetches;
  private final String stallKey;
  private final String abandonKey;

  SlowClientsWorkload(
      ChildWorkloads.S3Access s3,
      String java,
      List<NormalClients.Fetch> fetches,
      String stallKey,
      String abandonKey) {
    this.s3 = s3;
    this.java = java;
    this.fetches = fetches;
    this.stallKey = stallKey;
    this.abandonKey = abandonKey;
  }

  /** Runs every row; {@code relay} sits between the filters and S3 ({@code s3} points at it). */
  List<RowResult> run(Plan plan, List<String> rowNames, KeyCountingRelay relay) throws Exception {
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (String row : rowNames) {
        children.add(
            ChildJvm.start(
                java,
                List.of("-Xmx512m", "-XX:+UseG1GC", "-Dbench.sendBuffer=" + SEND_BUFFER),
                s3.args(
                    "filter",
                    ENGINE,
                    50,
                    64 * 1024,
                    "platform",
                    "settings=" + row,
                    "maxThreads=200",
                    "acquireTimeout=10",
                    "idleTimeout=30")));
      }
      for (ChildJvm c : children) {
        NormalClients.run(c.port(), fetches, plan.normalWorkers(), 3, plan.timeoutSeconds());
      }
      // No slow clients: rounds with the rows' order rotating.
      List<List<NormalClients.Outcome>> baseline = new ArrayList<>();
      List<List<Samples>> baselineSamples = new ArrayList<>();
      for (int i = 0; i < rowNames.size(); i++) {
        baseline.add(new ArrayList<>());
        baselineSamples.add(new ArrayList<>());
      }
      for (int round = 0; round < plan.baselineRounds(); round++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rowNames.size(); i++) {
          order.add(i);
        }
        Collections.rotate(order, -round);
        for (int i : order) {
          ChildJvm c = children.get(i);
          Sampler sampler = new Sampler(c, relay.port());
          NormalClients.Outcome o =
              NormalClients.run(
                  c.port(),
                  fetches,
                  plan.normalWorkers(),
                  plan.normalSeconds(),
                  plan.timeoutSeconds());
          baselineSamples.get(i).add(sampler.stop());
          baseline.get(i).add(o);
          log(rowNames.get(i) + ", no slow clients, round " + (round + 1) + ": " + brief(o));
        }
      }
      List<RowResult> results = new ArrayList<>();
      for (int i = 0; i < rowNames.size(); i++) {
        ChildJvm c = children.get(i);
        SettingsRows.Row row = SettingsRows.row(rowNames.get(i));
        // 2,000 stalled clients, then the normal clients among them.
        long stall0 = relay.bytes(stallKey);
        long stallGets0 = relay.requests(stallKey);
        NormalClients.Outcome withSlow;
        Samples slowSamples;
        int started;
        int slowOk;
        int open;
        int closed;
        Map<String, Integer> states;
        long stallBytes;
        long stallGets;
        try (SlowClients slow =
            new SlowClients(
                c.port(), "/app/" + stallKey, plan.slowClients(), SlowClients.Behaviour.TRICKLE)) {
          Thread.sleep(plan.settleSeconds() * 1000L);
          log(
              row.name()
                  + ": "
                  + slow.responsesStarted()
                  + " of "
                  + plan.slowClients()
                  + " slow clients got a response head, "
                  + c.busyThreads()
                  + " busy request threads");
          states = ThreadStates.classify(ThreadStates.dump(c.pid()), "child-app");
          log(row.name() + ": request threads " + ThreadStates.text(states));
          Sampler sampler = new Sampler(c, relay.port());
          withSlow =
              NormalClients.run(
                  c.port(),
                  fetches,
                  plan.normalWorkers(),
                  plan.normalSeconds(),
                  plan.timeoutSeconds());
          slowSamples = sampler.stop();
          started = slow.responsesStarted();
          slowOk = slow.ok();
          open = slow.open();
          closed = slow.closedByServer();
          // Before the stalled clients go away: what S3 sent while they were stalled.
          stallBytes = relay.bytes(stallKey) - stall0;
          stallGets = relay.requests(stallKey) - stallGets0;
        }
        log(row.name() + ", " + plan.slowClients() + " slow clients: " + brief(withSlow));
        waitForIdle(c, 30);
        // Abandoned downloads: read one buffer, close.
        long abandon0 = relay.bytes(abandonKey);
        long abandonGets0 = relay.requests(abandonKey);
        int abandonOk;
        try (SlowClients ab =
            new SlowClients(
                c.port(),
                "/app/" + abandonKey,
                plan.abandonClients(),
                SlowClients.Behaviour.ABANDON)) {
          long deadline = System.nanoTime() + 60_000_000_000L;
          while (ab.open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
          }
          Thread.sleep(3000); // let aborted S3 streams and the relay wind down
          abandonOk = ab.ok();
        }
        long abandonBytes = relay.bytes(abandonKey) - abandon0;
        long abandonGets = relay.requests(abandonKey) - abandonGets0;
        results.add(
            new RowResult(
                row,
                baseline.get(i),
                baselineSamples.get(i),
                withSlow,
                slowSamples,
                states,
                started,
                slowOk,
                open,
                closed,
                stallBytes,
                stallGets,
                plan.abandonClients(),
                abandonOk,
                abandonBytes,
                abandonGets));
        c.kill();
      }
      return results;
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  private static void waitForIdle(ChildJvm c, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (c.busyThreads() > 8 && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
  }

  private static String brief(NormalClients.Outcome o) {
    return String.format(
        Locale.ROOT,
        "%d ok, %d failed, %.0f req/s, p99 1 MiB %.1f ms, 4 KiB %.1f ms",
        o.ok(),
        o.failed(),
        o.requestsPerSecond(),
        o.percentile(MIB_LABEL, 99),
        o.percentile(KIB_LABEL, 99));
  }

  private static void log(String message) {
    System.out.println("[bench] slow clients: " + message);
  }

  /** Samples a child's busy request threads and the connections to the relay every 500 ms. */
  private static final class Sampler {
    private final List<Integer> busy = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> conns = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(ChildJvm child, int relayPort) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  busy.add(child.busyThreads());
                  conns.add(TcpConnections.establishedTo(relayPort));
                  try {
                    Thread.sleep(500);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "sampler");
      thread.setDaemon(true);
      thread.start();
    }

    Samples stop() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join(2000);
      return new Samples(List.copyOf(busy), List.copyOf(conns));
    }
  }

  // ---------------------------------------------------------------- report

  static String markdown(Plan plan, List<RowResult> rows) {
    // The first row is the reference of the throughput target (blocking writes).
    StringBuilder md = new StringBuilder();
    md.append("\n## Slow clients never hold the application (issue 13)\n\n")
        .append("Each settings row's filter in a child JVM of its own (Java 17, `-Xmx512m`, Jetty")
        .append(
            " 12 `QueuedThreadPool` of at most 200 platform threads, idle timeout 30 s (Jetty's")
        .append(
            " default, accepted sockets' send buffer 64 KiB as over a real network: on loopback")
        .append(
            " Linux grows it to megabytes even for a stalled client); the lean engine with a pool")
        .append(" of 50 and its")
        .append(" 10 s acquisition timeout). Between the filter and the S3 server a counting TCP")
        .append(" relay in the harness charges every byte S3 sends to the key of the request it")
        .append(" answers. Normal clients: ")
        .append(plan.normalWorkers())
        .append(" threads, each GETting the 1 MiB and the 4 KiB object in turn over keep-alive")
        .append(" connections for ")
        .append(plan.normalSeconds())
        .append(" s, every body SHA-256-checked; a request fails on a non-200, wrong bytes or ")
        .append(plan.timeoutSeconds())
        .append(" s without a byte. Without slow clients: ")
        .append(plan.baselineRounds())
        .append(" round(s), rows interleaved (medians below). With slow clients: ")
        .append(plan.slowClients())
        .append(" raw sockets (one selector thread, 64 KiB receive buffer) GET a 64 MiB object,")
        .append(" read the head and 64 KiB, then one byte a second; the normal clients start ")
        .append(plan.settleSeconds())
        .append(" s later. Abandoned: ")
        .append(plan.abandonClients())
        .append(" raw sockets GET another 64 MiB object, read the head and 64 KiB and close.")
        .append(" Busy request threads are Jetty's `getBusyThreads()`; S3 connections are the")
        .append(" established TCP connections to the relay (`/proc/net/tcp`, `tcp6`); both")
        .append(" sampled every 500 ms, shown as median / max.\n\n");
    md.append("| row | slow clients | normal requests | succeeded | 1 MiB p50 / p99 |")
        .append(" 4 KiB p50 / p99 | throughput | busy request threads | S3 connections |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (RowResult r : rows) {
      NormalClients.Outcome base = medianRound(r.baseline());
      md.append(
          line(r.row().label(), 0, base, r.baselineSamples().get(r.baseline().indexOf(base))));
      md.append(line(r.row().label(), plan.slowClients(), r.withSlow(), r.slowSamples()));
    }
    md.append("\nWhat the request threads were doing when the normal clients started among the")
        .append(
            " slow ones (`jcmd <pid> Thread.print`, Jetty's pool threads by their stacks):\n\n");
    for (RowResult r : rows) {
      md.append("- ")
          .append(r.row().label())
          .append(": ")
          .append(ThreadStates.text(r.threadStates()))
          .append("\n");
    }
    for (RowResult r : rows) {
      if (!r.withSlow().failures().isEmpty()) {
        List<String> parts = new ArrayList<>();
        r.withSlow().failures().forEach((k, v) -> parts.add(v + " × " + k));
        md.append("\nFailed normal requests with slow clients, ")
            .append(r.row().name())
            .append(": ")
            .append(String.join("; ", parts))
            .append(".\n");
      }
    }
    md.append("\n| row | stalled clients with a 200 (of those with any answer) | their S3 GETs |")
        .append(" bytes from S3 | per stalled client | still connected at the end |")
        .append(" abandoned clients with a 200 | their S3 GETs | bytes from S3 |")
        .append(" per abandoned client |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (RowResult r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d (%d) | %d | %s | %s | %d | %d of %d | %d | %s | %s |%n",
              r.row().label(),
              r.slowOk(),
              r.slowStarted(),
              r.stallGets(),
              ChildWorkloads.mib(r.stallBytes()),
              perClient(r.stallBytes(), r.slowOk()),
              r.slowOpenAtEnd(),
              r.abandonOk(),
              r.abandonClients(),
              r.abandonGets(),
              ChildWorkloads.mib(r.abandonBytes()),
              perClient(r.abandonBytes(), r.abandonOk())));
    }
    md.append("\n### Targets of issue 13\n\n").append(Report.verdictTable(verdicts(plan, rows)));
    return md.toString();
  }

  static List<Report.Verdict> verdicts(Plan plan, List<RowResult> rows) {
    List<Report.Verdict> out = new ArrayList<>();
    RowResult blocking = rows.isEmpty() ? null : rows.get(0);
    for (RowResult r : rows) {
      String name = r.row().label();
      NormalClients.Outcome s = r.withSlow();
      double rate = s.successRate();
      out.add(
          new Report.Verdict(
              name,
              "normal clients: 100 % success with " + plan.slowClients() + " slow clients",
              String.format(Locale.ROOT, "%.1f %% (%d of %d)", rate * 100, s.ok(), s.attempts()),
              s.attempts() > 0 && s.failed() == 0,
              s.failed() == 0 ? "" : s.failed() + " failed"));
      for (String label : List.of(MIB_LABEL, KIB_LABEL)) {
        double without = medianOf(r.baseline(), label);
        double with = s.percentile(label, 99);
        String what = "normal clients, " + label + ": p99 ≤ 2× p99 without slow clients";
        if (Double.isNaN(with) || Double.isNaN(without)) {
          out.add(
              new Report.Verdict(
                  name,
                  what,
                  "no successful request to measure",
                  Double.isNaN(with) ? false : null,
                  ""));
        } else {
          Report.Verdict v = Report.verdict(name, what, with / without, false, 2.0);
          out.add(
              new Report.Verdict(
                  name,
                  what,
                  String.format(
                      Locale.ROOT,
                      "%s ms vs %s ms: %s",
                      Report.fmt(with),
                      Report.fmt(without),
                      v.measured().replace(" (median of per-round ratios)", "")),
                  v.met(),
                  v.margin()));
        }
      }
      out.add(bytesVerdict(name, "stalled", r.stallBytes(), r.slowOk()));
      out.add(bytesVerdict(name, "abandoned", r.abandonBytes(), r.abandonOk()));
      String what = "fast clients (no slow ones): throughput ≥ 0.95× " + blocking.row().label();
      if (r == blocking) {
        continue;
      }
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < r.baseline().size(); i++) {
        ratios.add(
            r.baseline().get(i).requestsPerSecond()
                / blocking.baseline().get(i).requestsPerSecond());
      }
      Report.Verdict v = Report.verdict(name, what, Stats.summarize(ratios).median(), true, 0.95);
      out.add(v);
    }
    if (rows.size() < 2) {
      out.add(
          new Report.Verdict(
              "(a second row)",
              "fast clients (no slow ones): throughput ≥ 0.95× blocking writes",
              "only the blocking row exists",
              null,
              ""));
    }
    return out;
  }

  private static Report.Verdict bytesVerdict(String row, String kind, long bytes, int clients) {
    String what = "≤ 1 MiB from S3 per " + kind + " client";
    if (clients == 0) {
      return new Report.Verdict(row, what, "no " + kind + " client got a 200", null, "");
    }
    double perClient = bytes / (double) clients / (1024 * 1024);
    boolean met = perClient <= 1.0;
    return new Report.Verdict(
        row,
        what,
        String.format(Locale.ROOT, "%.2f MiB per client", perClient),
        met,
        met
            ? String.format(Locale.ROOT, "%.2f MiB to spare", 1 - perClient)
            : String.format(Locale.ROOT, "over by %.2f MiB", perClient - 1));
  }

  private static String perClient(long bytes, int clients) {
    return clients == 0 ? "—" : ChildWorkloads.mib(bytes / clients);
  }

  private static double medianOf(List<NormalClients.Outcome> rounds, String label) {
    List<Double> p99s = new ArrayList<>();
    for (NormalClients.Outcome o : rounds) {
      double p = o.percentile(label, 99);
      if (!Double.isNaN(p)) {
        p99s.add(p);
      }
    }
    return p99s.isEmpty() ? Double.NaN : Stats.summarize(p99s).median();
  }

  /** The round whose throughput is the median (the lower middle one for an even count). */
  private static NormalClients.Outcome medianRound(List<NormalClients.Outcome> rounds) {
    List<NormalClients.Outcome> sorted = new ArrayList<>(rounds);
    sorted.sort((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond()));
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static String line(String row, int slow, NormalClients.Outcome o, Samples samples) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %.1f %% | %s / %s ms | %s / %s ms | %.0f req/s, %.0f MiB/s | %s | %s |%n",
        row,
        slow,
        o.attempts(),
        o.successRate() * 100,
        fmtMs(o.percentile(MIB_LABEL, 50)),
        fmtMs(o.percentile(MIB_LABEL, 99)),
        fmtMs(o.percentile(KIB_LABEL, 50)),
        fmtMs(o.percentile(KIB_LABEL, 99)),
        o.requestsPerSecond(),
        o.mibPerSecond(),
        samples.busyText(),
        samples.s3Text());
  }

  private static String fmtMs(double v) {
    return Double.isNaN(v) ? "—" : Report.fmt(v);
  }
}
