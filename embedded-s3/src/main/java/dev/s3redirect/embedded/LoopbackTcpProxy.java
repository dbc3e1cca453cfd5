package dev.s3redirect.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 between an S3 client and an S3 server, for fault-injection tests: it
 * counts the bytes the server sends and injects faults (refused connections, canned error answers,
 * silence, resets and stalls in the middle of a response). Loopback only; every thread it starts
 * ends when it closes.
 */
public final class LoopbackTcpProxy implements AutoCloseable {

  /** The kernel buffers of the relay's own sockets. */
  private static final int RELAY_BUFFER = 64 * 1024;

  /** What the relay does with new connections. */
  private enum Mode {
    /** Relay faithfully. */
    RELAY,
    /** Relay, but reset the connection once the configured number of bytes came from the server. */
    CUT_RESPONSE,
    /**
     * Relay, but stop relaying (keeping the connection open) after the configured number of bytes.
     */
    STALL_RESPONSE,
    /** Accept, read the request, never answer. */
    STALL,
    /** Answer every request with a canned response. */
    CANNED
  }

  private final int port;
  private volatile ServerSocket listener;
  private final InetSocketAddress target;
  private final AtomicLong bytesFromServer = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.RELAY;
  private volatile long cutAfter;
  private volatile byte[] canned = new byte[0];
  private volatile Thread acceptor;

  /**
   * Starts relaying from a free port on 127.0.0.1 to {@code target}.
   *
   * @param target the server, {@code http://host:port}
   * @throws IOException if no port can be opened
   */
  public LoopbackTcpProxy(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.port = listener.getLocalPort();
    this.acceptor = daemon("tcp-proxy-accept", this::acceptLoop);
  }

  /**
   * Stops listening: connecting to the relay's port is refused until {@link #listen()}.
   *
   * @throws IOException if the listening socket cannot be closed
   */
  public void refuseConnections() throws IOException {
    listener.close();
    join(acceptor);
  }

  /**
   * Listens again on the same port after {@link #refuseConnections()}.
   *
   * @throws IOException if the port cannot be bound again
   */
  public void listen() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    listener = socket;
    acceptor = daemon("tcp-proxy-accept", this::acceptLoop);
  }

  /**
   * Returns where clients connect.
   *
   * @return {@code http://127.0.0.1:port}
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Relays new connections faithfully again. */
  public void relay() {
    mode = Mode.RELAY;
  }

  /**
   * Relays the first {@code bytes} of each new connection's response, then resets it.
   *
   * @param bytes bytes from the server, headers included, before the reset
   */
  public void cutResponsesAfter(long bytes) {
    cutAfter = bytes;
    mode = Mode.CUT_RESPONSE;
  }

  /**
   * Relays the first {@code bytes} of each new connection's response, then holds the connection
   * open, silent, until the client gives up.
   *
   * @param bytes bytes from the server, headers included, before the silence
   */
  public void stallResponsesAfter(long bytes) {
    cutAfter = bytes;
    mode = Mode.STALL_RESPONSE;
  }

  /** Accepts new connections and reads their requests, but never answers. */
  public void stall() {
    mode = Mode.STALL;
  }

  /**
   * Answers every new connection's request itself, with a canned response.
   *
   * @param status the status code
   * @param reason the reason phrase
   * @param contentType the body's content type
   * @param body the body
   */
  public void answerWith(int status, String reason, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\n"
            + "Content-Type: "
            + contentType
            + "\r\n"
            + "Content-Length: "
            + bytes.length
            + "\r\n"
            + "x-amz-request-id: 4442587FB7D0A2F9\r\n"
            + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + bytes.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
    canned = all;
    mode = Mode.CANNED;
  }

  /**
   * Answers every new connection's request itself with exactly these bytes (status line, header
   * fields, body), then closes the connection: for answers no S3 server gives on demand, such as a
   * 200 without {@code Content-Length}.
   *
   * @param response the whole response, as sent
   */
  public void answerWithRaw(String response) {
    canned = response.getBytes(StandardCharsets.ISO_8859_1);
    mode = Mode.CANNED;
  }

  /**
   * Returns the bytes relayed from the server to clients since the relay started.
   *
   * @return the count
   */
  public long bytesFromServer() {
    return bytesFromServer.get();
  }

  /**
   * Returns the connections accepted since the relay started.
   *
   * @return the count
   */
  public long connections() {
    return connections.get();
  }

  private void acceptLoop() {
    ServerSocket socket = listener;
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        // Small kernel buffers of its own, so that what it counts as sent by the server is what
        // the client's socket took, not what waits in the relay's buffers (on loopback they grow
        // to megabytes).
        client.setSendBufferSize(RELAY_BUFFER);
        connections.incrementAndGet();
        sockets.add(client);
        Mode current = mode;
        daemon("tcp-proxy-conn", () -> handle(client, current));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client, Mode current) {
    try {
      switch (current) {
        case STALL -> drainUntilClosed(client.getInputStream());
        case CANNED -> {
          readRequestHead(client.getInputStream());
          client.getOutputStream().write(canned);
          client.getOutputStream().flush();
          client.close();
        }
        default -> {
          Socket server = new Socket();
          server.setReceiveBufferSize(RELAY_BUFFER);
          sockets.add(server);
          server.connect(target, 5_000);
          daemon("tcp-proxy-up", () -> pump(client, server, false, Long.MAX_VALUE, false));
          long limit = current == Mode.RELAY ? Long.MAX_VALUE : cutAfter;
          pump(server, client, true, limit, current == Mode.STALL_RESPONSE);
        }
      }
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer, long limit, boolean stallAtLimit) {
    byte[] buffer = new byte[16 * 1024];
    long relayed = 0;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        int allowed = (int) Math.min(n, limit - relayed);
        out.write(buffer, 0, allowed);
        relayed += allowed;
        if (fromServer) {
          bytesFromServer.addAndGet(allowed);
        }
        if (relayed >= limit) {
          if (stallAtLimit) {
            // Silence with the connection open: the client must give up by itself. The other
            // direction's pump closes both sockets when it does.
            return;
          }
          reset(to);
          reset(from);
          return;
        }
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static void drainUntilClosed(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    while (in.read(buffer) >= 0) {
      // Read the request and never answer.
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // already gone
    }
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
    join(acceptor);
  }

  private static void join(Thread thread) {
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
