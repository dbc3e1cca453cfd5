package dev.s3redirect.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx in the X-Accel-Redirect recipe, as a child process with its own prefix and configuration in
 * a temporary folder: {@code /app/} goes to the application, which answers with {@code
 * X-Accel-Redirect: /internal-s3/<bucket>/<key>?<presigned query>}; the internal location proxies
 * that to the S3 server.
 */
final class Nginx implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * The configuration. S3 checks the presigned signature against the {@code Host} header, so the
   * internal location sends the S3 server's own host and port rather than the upstream's name.
   * Upstream keep-alive is on for both hops and temporary files are off, so large bodies stream
   * through nginx's default proxy buffers rather than through the disk.
   */
  static String config(Path dir, int listenPort, int appPort, int s3Port, int workers) {
    return """
        worker_processes %d;
        daemon off;
        pid %s/nginx.pid;
        error_log %s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          client_body_temp_path %s/client_body;
          proxy_temp_path %s/proxy;
          fastcgi_temp_path %s/fastcgi;
          uwsgi_temp_path %s/uwsgi;
          scgi_temp_path %s/scgi;
          upstream app { server 127.0.0.1:%d; keepalive 32; }
          upstream s3 { server 127.0.0.1:%d; keepalive 32; }
          server {
            listen 127.0.0.1:%d;
            location /app/ {
              proxy_pass http://app/accel/;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
            location /internal-s3/ {
              internal;
              proxy_pass http://s3/;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host 127.0.0.1:%d;
              proxy_max_temp_file_size 0;
            }
          }
        }
        """
        .formatted(workers, dir, dir, dir, dir, dir, dir, dir, appPort, s3Port, listenPort, s3Port);
  }

  static Nginx start(String binary, int listenPort, int appPort, int s3Port, int workers)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("s3redirect-bench-nginx");
    // Workers run as nobody when nginx starts as root: let them use the folder.
    dir.toFile().setReadable(true, false);
    dir.toFile().setWritable(true, false);
    dir.toFile().setExecutable(true, false);
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(
        conf, config(dir, listenPort, appPort, s3Port, workers), StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(
                List.of(
                    binary,
                    "-p",
                    dir.toString(),
                    "-e",
                    dir.resolve("error.log").toString(),
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
