package dev.s3redirect.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An S3 stand-in on 127.0.0.1 that answers each request with the next scripted response and records
 * what was asked, byte for byte: for what S3-compatible servers cannot be made to do (keys with
 * empty segments, missing lengths, contradictory ranges, redirects) and for counting requests.
 * Connections are kept alive between responses unless a response says {@code Connection: close}.
 */
final class ScriptedS3 implements AutoCloseable {

  /** A request as it arrived: the request line, and the header lines in order. */
  record Recorded(String requestLine, List<String> headerLines) {

    /** Returns the method. */
    String method() {
      return requestLine.substring(0, requestLine.indexOf(' '));
    }

    /** Returns the request target exactly as sent. */
    String target() {
      return requestLine.substring(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
    }

    /** Returns the first value of a header, or {@code null}. */
    String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      for (String line : headerLines) {
        if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
          return line.substring(prefix.length()).strip();
        }
      }
      return null;
    }
  }

  private final ServerSocket listener;
  private final BlockingQueue<byte[]> script = new LinkedBlockingQueue<>();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  ScriptedS3() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "scripted-s3");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Returns {@code http://127.0.0.1:port}. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Returns the port. */
  int port() {
    return listener.getLocalPort();
  }

  /**
   * Queues a response: the status line and header lines (CRLF added), then the body as is.
   *
   * @param head the status line and header lines, each a string
   * @param body the body bytes, sent as they are
   */
  void enqueue(List<String> head, byte[] body) {
    StringBuilder text = new StringBuilder();
    for (String line : head) {
      text.append(line).append("\r\n");
    }
    text.append("\r\n");
    byte[] headBytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    script.add(all);
  }

  /** Queues a response with a {@code Content-Length} body. */
  void enqueue(int status, String reason, List<String> headers, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    List<String> head = new ArrayList<>();
    head.add("HTTP/1.1 " + status + " " + reason);
    head.addAll(headers);
    head.add("Content-Length: " + bytes.length);
    enqueue(head, bytes);
  }

  /** Returns the requests received so far. */
  List<Recorded> requests() {
    return List.copyOf(requests);
  }

  /** Returns the connections accepted so far. */
  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        connections.incrementAndGet();
        sockets.add(socket);
        Thread connection = new Thread(() -> serve(socket), "scripted-s3-connection");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        List<String> lines = readHead(in);
        if (lines == null) {
          return;
        }
        requests.add(new Recorded(lines.get(0), List.copyOf(lines.subList(1, lines.size()))));
        byte[] response = script.poll(5, TimeUnit.SECONDS);
        if (response == null) {
          return;
        }
        try {
          out.write(response);
          out.flush();
        } catch (IOException clientGone) {
          return;
        }
        String head = new String(response, StandardCharsets.ISO_8859_1);
        if (head.substring(0, head.indexOf("\r\n\r\n"))
            .toLowerCase(Locale.ROOT)
            .contains("connection: close")) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client went away.
    }
  }

  /** Reads a request head's lines, or returns {@code null} when the connection ends first. */
  private static List<String> readHead(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    List<String> lines = new ArrayList<>();
    int previous = -1;
    int b;
    while ((b = in.read()) >= 0) {
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
          return lines;
        }
        lines.add(text);
        line.reset();
        previous = -1;
        continue;
      }
      line.write(b);
      previous = b;
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
