package dev.s3redirect.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket on 127.0.0.1, for tests where exact bytes matter: a response that
 * ends before its {@code Content-Length}, a client that reads part of a body and resets the
 * connection. HTTP clients hide both.
 */
public final class RawHttp {

  private RawHttp() {}

  /**
   * Connects to {@code port} on 127.0.0.1 and sends {@code GET pathAndQuery}.
   *
   * @param port the server's port
   * @param pathAndQuery the request target
   * @param headerLines extra header lines, without line ends, such as {@code Range: bytes=0-1}
   * @return the connected socket, with a 20 s read timeout; the caller closes it
   * @throws IOException if connecting or sending fails
   */
  public static Socket get(int port, String pathAndQuery, String... headerLines)
      throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(20_000);
    send(socket, pathAndQuery, headerLines);
    return socket;
  }

  /**
   * Sends {@code GET pathAndQuery} on an already connected socket.
   *
   * @param socket the connection
   * @param pathAndQuery the request target
   * @param headerLines extra header lines, without line ends
   * @throws IOException if sending fails
   */
  public static void send(Socket socket, String pathAndQuery, String... headerLines)
      throws IOException {
    StringBuilder request =
        new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    OutputStream out = socket.getOutputStream();
    out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /**
   * Reads the status line and the header fields, up to and including the empty line.
   *
   * @param in the connection's input
   * @return the head, ISO-8859-1 decoded
   * @throws IOException if the connection ends before the head does
   */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(
            "the connection ended within the head: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads until the server closes or resets the connection; a read timeout propagates, so that a
   * connection left hanging is told apart from one that ended.
   *
   * @param in the connection's input
   * @return every byte read
   * @throws IOException on a read timeout or another failure than a reset
   */
  public static byte[] readToTheEnd(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        body.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // A reset ends the body as surely as a close.
    }
    return body.toByteArray();
  }

  /**
   * As {@link #readToTheEnd}, counting the bytes instead of keeping them.
   *
   * @param in the connection's input
   * @return the number of bytes read
   * @throws IOException on a read timeout or another failure than a reset
   */
  public static long countToTheEnd(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long count = 0;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        count += n;
      }
    } catch (SocketException reset) {
      // A reset ends the body as surely as a close.
    }
    return count;
  }

  /**
   * Reads about {@code bytes} bytes (fewer if the connection ends first), then resets the
   * connection, as a client that gives up does.
   *
   * @param socket the connection
   * @param bytes how many bytes to read before hanging up
   * @return the number of bytes read
   * @throws IOException if reading fails
   */
  public static long readThenReset(Socket socket, long bytes) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    long read = 0;
    while (read < bytes) {
      int n = in.read(buffer);
      if (n < 0) {
        break;
      }
      read += n;
    }
    socket.setSoLinger(true, 0);
    socket.close();
    return read;
  }
}
