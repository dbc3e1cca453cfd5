package dev.s3redirect.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The throughput chart: ratio to a baseline (the nginx recipe, else direct S3) per workload and
 * target, drawn by gnuplot.
 */
final class Chart {

  private static final List<Metric> METRICS =
      List.of(Metric.LARGE_1, Metric.LARGE_8, Metric.SMALL16_RPS, Metric.SMALL32_RPS);

  private static final List<String> LABELS =
      List.of(
          "large, 1 download",
          "large, 8 downloads",
          "4 KiB, 16 conn. (req/s)",
          "4 KiB, 32 conn. (req/s)");

  private Chart() {}

  /** Writes the PNG; returns its file name, or null when gnuplot failed. */
  static String write(
      String gnuplot, Path png, Results results, List<Target> targets, Target base, String mode)
      throws IOException, InterruptedException {
    // gnuplot's histograms want one row per cluster (workload) and one column group per target.
    Path dir = Files.createTempDirectory("s3redirect-bench-chart");
    Path dataFile = dir.resolve("ratios.dat");
    StringBuilder data = new StringBuilder("workload");
    for (Target t : targets) {
      data.append(" \"").append(t.label()).append("\" min max");
    }
    data.append('\n');
    int rounds = 0;
    double top = 1.0;
    for (Metric m : METRICS) {
      data.append('"').append(LABELS.get(METRICS.indexOf(m))).append('"');
      for (Target t : targets) {
        Stats.Summary s = Stats.summarize(Stats.ratios(results.get(m, t), results.get(m, base)));
        rounds = s.count();
        top = Math.max(top, s.max());
        data.append(String.format(Locale.ROOT, " %.4f %.4f %.4f", s.median(), s.min(), s.max()));
      }
      data.append('\n');
    }
    Files.writeString(dataFile, data.toString(), StandardCharsets.UTF_8);
    StringBuilder plot = new StringBuilder();
    for (int i = 0; i < targets.size(); i++) {
      int col = 2 + 3 * i;
      plot.append(i == 0 ? "plot " : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "'%s' using %d:%d:%d%s title columnheader(%d)",
                  dataFile,
                  col,
                  col + 1,
                  col + 2,
                  i == 0 ? ":xtic(1)" : "",
                  col));
    }
    String script =
        String.format(
            Locale.ROOT,
            """
        set terminal pngcairo size 960,540 font "sans,11"
        set output '%s'
        set title "Throughput relative to %s (median and min-max of %d rounds, %s mode)"
        set style data histograms
        set style histogram errorbars gap 2 lw 1
        set style fill solid 0.8 border -1
        set ylabel "x %s (higher is better)"
        set yrange [0:%.2f]
        set grid ytics
        set key inside top right
        set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "black"
        %s
        """,
            png.toAbsolutePath(),
            base.label(),
            rounds,
            mode,
            base.label(),
            top * 1.35,
            plot);
    Path scriptFile = dir.resolve("chart.gp");
    Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(gnuplot, scriptFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("gnuplot.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return null;
    }
    if (p.exitValue() != 0) {
      System.out.println(Files.readString(dir.resolve("gnuplot.log")));
      return null;
    }
    return png.getFileName().toString();
  }
}
