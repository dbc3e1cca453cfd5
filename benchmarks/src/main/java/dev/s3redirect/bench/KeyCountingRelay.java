package dev.s3redirect.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 between the filter and the S3 server that counts, per object key, the
 * requests sent and the bytes the S3 server sent back (read by the relay from the server's socket,
 * headers included). Each response is charged to the key of the last request seen on its
 * connection, which is exact for HTTP/1.1 without pipelining (the SDK and its HTTP clients never
 * pipeline). Two threads per connection; all of them end when it closes.
 *
 * <p>The relay keeps its own socket buffers small ({@value #RELAY_BUFFER} bytes towards the filter
 * and from S3), so that what it counts is, within a few KiB, what sits in the filter's receive
 * buffer or was read by the filter: what a direct connection would have taken from S3.
 */
final class KeyCountingRelay implements AutoCloseable {

  /** Requests and response bytes of one key. */
  static final class Count {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
  }

  /** Send buffer towards the filter and receive buffer from S3, in bytes. */
  static final int RELAY_BUFFER = 16 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Map<String, Count> counts = new ConcurrentHashMap<>();
  private final Count unknown = new Count();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  KeyCountingRelay(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    this.acceptor = daemon("relay-accept", this::acceptLoop);
  }

  int port() {
    return listener.getLocalPort();
  }

  long bytes(String key) {
    Count c = counts.get(key);
    return c == null ? 0 : c.bytes.get();
  }

  long requests(String key) {
    Count c = counts.get(key);
    return c == null ? 0 : c.requests.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        daemon("relay-conn", () -> handle(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    Socket server = new Socket();
    sockets.add(server);
    // The count the server's bytes go to: the key of the last request on this connection.
    Count[] current = {unknown};
    try {
      client.setSendBufferSize(RELAY_BUFFER);
      server.setReceiveBufferSize(RELAY_BUFFER);
      server.connect(target, 5_000);
      daemon("relay-up", () -> up(client, server, current));
      byte[] buffer = new byte[16 * 1024];
      InputStream in = server.getInputStream();
      OutputStream out = client.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        current[0].bytes.addAndGet(n);
        out.write(buffer, 0, n);
      }
      client.shutdownOutput();
    } catch (IOException e) {
      // either side went away
    } finally {
      closeQuietly(client);
      closeQuietly(server);
      sockets.remove(client);
      sockets.remove(server);
    }
  }

  private void up(Socket client, Socket server, Count[] current) {
    RequestHeads heads = new RequestHeads();
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = client.getInputStream();
      OutputStream out = server.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        for (String line : heads.feed(buffer, 0, n)) {
          Count c = counts.computeIfAbsent(RequestHeads.key(line), k -> new Count());
          c.requests.incrementAndGet();
          current[0] = c;
        }
        out.write(buffer, 0, n);
      }
      server.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Finds the request lines in a stream of HTTP/1.1 requests without bodies (GET and HEAD, which is
   * all an engine sends while serving downloads).
   */
  static final class RequestHeads {
    private final StringBuilder head = new StringBuilder();

    /** The request lines of the heads completed by these bytes. */
    List<String> feed(byte[] bytes, int offset, int length) {
      List<String> lines = new ArrayList<>();
      head.append(new String(bytes, offset, length, StandardCharsets.ISO_8859_1));
      for (int end; (end = head.indexOf("\r\n\r\n")) >= 0; ) {
        int eol = head.indexOf("\r\n");
        lines.add(head.substring(0, eol));
        head.delete(0, end + 4);
      }
      return lines;
    }

    /** The object key of a path-style request line: {@code GET /bucket/a/b?x HTTP/1.1} → a/b. */
    static String key(String requestLine) {
      String[] parts = requestLine.split(" ");
      if (parts.length < 2) {
        return "";
      }
      String path = parts[1];
      int q = path.indexOf('?');
      if (q >= 0) {
        path = path.substring(0, q);
      }
      int slash = path.indexOf('/', 1);
      return slash < 0 ? "" : path.substring(slash + 1);
    }
  }
}
