package dev.s3redirect.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP/1.1 client on 127.0.0.1 that reads a response body at a pace of its own and measures the
 * rate at which the server gave it: for tests of rate limits, where what counts is what a client
 * sees on the wire.
 */
public final class PacedReader {

  /**
   * What the reader saw.
   *
   * @param head the status line and header fields
   * @param body the body, as many bytes as its {@code Content-Length} announced or fewer
   * @param firstByteNanos when the first body byte arrived, after the request was sent
   * @param doneNanos when the last body byte arrived, after the request was sent
   * @param afterBurstNanos when the body passed {@code burst} bytes, after the request was sent
   * @param startNanos when the request was sent, as {@link System#nanoTime()} tells it
   */
  public record Reading(
      String head,
      byte[] body,
      long firstByteNanos,
      long doneNanos,
      long afterBurstNanos,
      long startNanos) {

    /**
     * Returns the status code.
     *
     * @return the status code
     */
    public int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    /**
     * Returns the value of a header field; the name matched in any case.
     *
     * @param name the field's name
     * @return its value, or {@code null}
     */
    public String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
          return line.substring(prefix.length()).strip();
        }
      }
      return null;
    }

    /**
     * Returns the rate at which the body arrived once past the burst, in bytes per second: the
     * bytes after the burst over the time they took.
     *
     * @param burst the bytes the server may send at once
     * @return bytes per second
     */
    public double rateAfter(long burst) {
      return (body.length - burst) * 1e9 / Math.max(1, doneNanos - afterBurstNanos);
    }
  }

  private PacedReader() {}

  /**
   * Sends {@code GET pathAndQuery} and reads the whole body, {@code chunk} bytes at a time, at most
   * {@code ownRate} bytes per second (0: as fast as the bytes come).
   *
   * @param port the server's port
   * @param pathAndQuery the request target
   * @param chunk the bytes read at a time
   * @param ownRate the reader's own pace in bytes per second, or 0
   * @param burst the bytes after which {@link Reading#afterBurstNanos} is taken
   * @param headerLines extra header lines, without line ends
   * @return what it saw
   * @throws IOException if the connection fails
   */
  public static Reading read(
      int port, String pathAndQuery, int chunk, long ownRate, long burst, String... headerLines)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
      long start = System.nanoTime();
      RawHttp.send(socket, pathAndQuery, headerLines);
      InputStream in = socket.getInputStream();
      String head = RawHttp.readHead(in);
      long length = contentLength(head);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buffer = new byte[chunk];
      long first = -1;
      long afterBurst = -1;
      long read = 0;
      while (read < length) {
        int n = in.read(buffer, 0, (int) Math.min(chunk, length - read));
        if (n < 0) {
          break;
        }
        long now = System.nanoTime() - start;
        if (first < 0) {
          first = now;
        }
        body.write(buffer, 0, n);
        read += n;
        if (afterBurst < 0 && read >= burst) {
          afterBurst = now;
        }
        if (ownRate > 0) {
          long due = start + first + read * 1_000_000_000L / ownRate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      }
      long done = System.nanoTime() - start;
      return new Reading(
          head, body.toByteArray(), first, done, afterBurst < 0 ? done : afterBurst, start);
    }
  }

  /**
   * Sends {@code clients} requests for {@code pathAndQuery} at once, each reading its whole body as
   * fast as the bytes come, and waits for all of them.
   *
   * @param clients how many
   * @param port the server's port
   * @param pathAndQuery the request target
   * @param burst the bytes after which each {@link Reading#afterBurstNanos} is taken
   * @return what each saw, in the order they were started
   * @throws Exception if any of them failed
   */
  public static List<Reading> readAtOnce(int clients, int port, String pathAndQuery, long burst)
      throws Exception {
    ExecutorService readers = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Reading>> all = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        all.add(readers.submit(() -> read(port, pathAndQuery, 8192, 0, burst)));
      }
      List<Reading> readings = new ArrayList<>();
      for (Future<Reading> reading : all) {
        readings.add(reading.get());
      }
      return readings;
    } finally {
      readers.shutdownNow();
    }
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring("content-length:".length()).strip());
      }
    }
    return 0;
  }
}
