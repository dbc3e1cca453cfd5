package dev.s3redirect.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx as its users run the {@code X-Accel-Redirect} recipe: the project's anchor configuration
 * ({@code nginx-x-accel-recipe.conf}, a verbatim copy of {@code shared/anchors/}) with its ports
 * filled in, as a child process with its own prefix folder. The client asks nginx for {@code
 * /accel/<key>}; nginx passes it to the application, which answers {@code X-Accel-Redirect:
 * /s3signed/<bucket>/<key>?<presigned query>}; nginx's internal {@code /s3signed/} location proxies
 * that to the S3 server, which checks the signature.
 */
final class Nginx implements AutoCloseable {

  /** The anchor configuration, on the class path. */
  static final String TEMPLATE = "nginx-x-accel-recipe.conf";

  private final Process process;
  private final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** The anchor configuration as shipped, placeholders and all. */
  static String template() throws IOException {
    try (InputStream in = Nginx.class.getResourceAsStream("/" + TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(TEMPLATE + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The anchor with its placeholders filled, and nothing else changed: {@code @APP_PORT@},
   * {@code @S3_PORT@} and {@code @NGINX_PORT@}.
   *
   * @throws IllegalStateException if a placeholder is left over
   */
  static String config(String template, int listenPort, int appPort, int s3Port) {
    String config =
        template
            .replace("@APP_PORT@", Integer.toString(appPort))
            .replace("@S3_PORT@", Integer.toString(s3Port))
            .replace("@NGINX_PORT@", Integer.toString(listenPort));
    java.util.regex.Matcher left = java.util.regex.Pattern.compile("@[A-Z_]+@").matcher(config);
    if (left.find()) {
      throw new IllegalStateException("unfilled placeholder " + left.group() + " in " + TEMPLATE);
    }
    return config;
  }

  /**
   * Starts nginx with the filled anchor. What the anchor leaves to the installation is given on the
   * command line, outside the configuration: the prefix folder ({@code -p}), the error log ({@code
   * -e}) and, through {@code -g}, {@code daemon off} (so that it is a child process) and its pid
   * file. Temporary files stay where the package puts them (the anchor turns them off for S3).
   */
  static Nginx start(String binary, int listenPort, int appPort, int s3Port)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("s3redirect-bench-nginx");
    // Workers run as nobody when nginx starts as root: let them use the folder.
    dir.toFile().setReadable(true, false);
    dir.toFile().setWritable(true, false);
    dir.toFile().setExecutable(true, false);
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(
        conf, config(template(), listenPort, appPort, s3Port), StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(
                List.of(
                    binary,
                    "-p",
                    dir.toString(),
                    "-e",
                    dir.resolve("error.log").toString(),
                    "-g",
                    "daemon off; pid " + dir.resolve("nginx.pid") + ";",
                    "-c",
                    conf.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    Nginx nginx = new Nginx(process, listenPort, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "nginx exited with "
                + process.exitValue()
                + ": "
                + Files.readString(dir.resolve("stdout.log"))
                + readIfExists(dir.resolve("error.log")));
      }
      if (listening(listenPort)) {
        return nginx;
      }
      Thread.sleep(50);
    }
    nginx.close();
    throw new IllegalStateException("nginx did not listen on " + listenPort + " within 10 s");
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  /** The master's and the workers' process ids. */
  List<Long> pids() {
    List<Long> pids = new java.util.ArrayList<>();
    pids.add(process.pid());
    process.descendants().forEach(h -> pids.add(h.pid()));
    return pids;
  }

  /** User plus system CPU time of master and workers so far, in clock ticks. */
  long cpuTicks() {
    long sum = 0;
    for (long pid : pids()) {
      long t = SystemCpu.processTicks(Path.of("/proc/" + pid + "/stat"));
      sum += Math.max(0, t);
    }
    return sum;
  }

  /** Stops nginx (SIGTERM: fast shutdown of master and workers), forcibly after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static String readIfExists(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
