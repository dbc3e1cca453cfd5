package dev.s3redirect.embedded;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An HTTP/2 cleartext (h2c) client that records frames, for tests that must see what a server sent
 * on the wire rather than what a client library makes of it: whether a stream ended ({@code
 * END_STREAM}) or was reset ({@code RST_STREAM}), and whether the connection still serves another
 * stream afterwards. Prior knowledge or the HTTP/1.1 {@code Upgrade}; no TLS, no dependency.
 */
public final class H2cProbe {

  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int WINDOW_UPDATE = 8;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int ACK = 0x1;
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final String[] ERRORS = {
    "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
    "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
    "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"
  };

  /**
   * What the server sent for the first stream.
   *
   * @param dataBytes the body bytes its DATA frames carried
   * @param endStream whether a frame of it carried {@code END_STREAM}
   * @param reset the error code of its {@code RST_STREAM} ({@code CANCEL}, {@code INTERNAL_ERROR}
   *     …), or {@code null} if it was not reset
   * @param goAway the error code of a {@code GOAWAY}, or {@code null}
   * @param secondStream what a second request on the same connection got afterwards: {@code
   *     "complete"} when it was answered completely
   */
  public record Result(
      long dataBytes, boolean endStream, String reset, String goAway, String secondStream) {}

  private H2cProbe() {}

  /**
   * Sends {@code GET path} as the first stream, reads its frames until it ends or is reset, then
   * sends {@code GET secondPath} on the same connection.
   *
   * @param port the server's port on the loopback interface
   * @param path the first request's target; under 127 bytes
   * @param secondPath the second request's target; under 127 bytes
   * @param upgrade whether to start with the HTTP/1.1 {@code Upgrade: h2c} rather than the
   *     prior-knowledge preface
   * @param headers names (lower case) and values of header fields for the first request
   * @return what the server sent
   * @throws IOException if the server could not be reached or refused the upgrade
   */
  public static Result get(
      int port, String path, String secondPath, boolean upgrade, String... headers)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] settings = settings();
      ByteArrayOutputStream start = new ByteArrayOutputStream();
      if (upgrade) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < headers.length; i += 2) {
          fields.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        String request =
            "GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + fields
                + "Connection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: "
                + Base64.getUrlEncoder().withoutPadding().encodeToString(settings)
                + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = RawHttp.readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
          throw new IOException("the server did not upgrade to h2c: " + head.lines().findFirst());
        }
      }
      start.writeBytes(PREFACE);
      frame(start, SETTINGS, 0, 0, settings);
      frame(start, WINDOW_UPDATE, 0, 0, int4(Integer.MAX_VALUE - 65_535));
      if (!upgrade) {
        frame(start, HEADERS, END_STREAM | END_HEADERS, 1, get(path, headers));
      }
      out.write(start.toByteArray());
      out.flush();
      return read(socket, in, out, secondPath);
    }
  }

  private static Result read(Socket socket, DataInputStream in, OutputStream out, String second)
      throws IOException {
    long data = 0;
    boolean endStream = false;
    String reset = null;
    String goAway = null;
    String secondStream = "not sent";
    boolean secondSent = false;
    while (true) {
      if (!secondSent && (endStream || reset != null)) {
        // A reset may follow an END_STREAM: give it a moment, then use the connection again.
        socket.setSoTimeout(300);
      }
      int length;
      int type;
      int flags;
      int stream;
      byte[] payload;
      try {
        length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        type = in.readUnsignedByte();
        flags = in.readUnsignedByte();
        stream = in.readInt() & Integer.MAX_VALUE;
        payload = in.readNBytes(length);
      } catch (SocketTimeoutException timeout) {
        if (!secondSent && (endStream || reset != null) && goAway == null) {
          secondSent = true;
          secondStream = "no answer";
          socket.setSoTimeout(5_000);
          ByteArrayOutputStream request = new ByteArrayOutputStream();
          frame(request, HEADERS, END_STREAM | END_HEADERS, 3, get(second));
          out.write(request.toByteArray());
          out.flush();
          continue;
        }
        break;
      } catch (EOFException | SocketException closed) {
        if (secondSent) {
          secondStream = "connection closed";
        }
        break;
      }
      switch (type) {
        case SETTINGS, PING -> {
          if ((flags & ACK) == 0) {
            ByteArrayOutputStream ack = new ByteArrayOutputStream();
            frame(ack, type, ACK, 0, type == PING ? payload : new byte[0]);
            out.write(ack.toByteArray());
            out.flush();
          }
        }
        case GOAWAY -> goAway = error(payload, 4);
        case HEADERS, DATA -> {
          if (stream == 1) {
            if (type == DATA) {
              data += (flags & PADDED) != 0 ? payload.length - 1 - (payload[0] & 0xFF) : length;
            }
            endStream |= (flags & END_STREAM) != 0;
          } else if (stream == 3 && (flags & END_STREAM) != 0) {
            // Linger a moment, as a client that goes on using the connection would.
            socket.setSoTimeout(200);
            try {
              in.skip(Long.MAX_VALUE);
            } catch (IOException quiet) {
              // The connection stays open; the probe is done.
            }
            return new Result(data, endStream, reset, goAway, "complete");
          }
        }
        case RST_STREAM -> {
          if (stream == 1) {
            reset = error(payload, 0);
          } else if (stream == 3) {
            secondStream = "reset " + error(payload, 0);
          }
        }
        default -> {
          // Not needed to judge the first stream.
        }
      }
    }
    return new Result(data, endStream, reset, goAway, secondStream);
  }

  private static String error(byte[] payload, int offset) {
    long code =
        ((payload[offset] & 0xFFL) << 24)
            | ((payload[offset + 1] & 0xFF) << 16)
            | ((payload[offset + 2] & 0xFF) << 8)
            | (payload[offset + 3] & 0xFF);
    return code < ERRORS.length ? ERRORS[(int) code] : "0x" + Long.toHexString(code);
  }

  /** No server push; a window so large that flow control never holds the server back. */
  private static byte[] settings() {
    ByteArrayOutputStream settings = new ByteArrayOutputStream();
    settings.writeBytes(new byte[] {0, 0x2, 0, 0, 0, 0});
    settings.writeBytes(new byte[] {0, 0x4});
    settings.writeBytes(int4(Integer.MAX_VALUE));
    return settings.toByteArray();
  }

  /**
   * A GET in HPACK without Huffman coding or the dynamic table: {@code :method GET} and {@code
   * :scheme http} indexed, {@code :path} and {@code :authority} literal with indexed names (some
   * servers reject pseudo-header names sent as literals), other fields literal.
   */
  private static byte[] get(String path, String... headers) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x82);
    block.write(0x86);
    block.write(0x04);
    string(block, path);
    block.write(0x01);
    string(block, "127.0.0.1");
    for (int i = 0; i < headers.length; i += 2) {
      block.write(0x00); // a literal field with a literal name, not indexed
      string(block, headers[i]);
      string(block, headers[i + 1]);
    }
    return block.toByteArray();
  }

  private static void string(ByteArrayOutputStream block, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= 127) {
      throw new IllegalArgumentException("a target under 127 bytes, please: " + value);
    }
    block.write(bytes.length);
    block.writeBytes(bytes);
  }

  private static void frame(
      ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) {
    out.write(payload.length >> 16);
    out.write(payload.length >> 8);
    out.write(payload.length);
    out.write(type);
    out.write(flags);
    out.writeBytes(int4(stream));
    out.writeBytes(payload);
  }

  private static byte[] int4(int value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }
}
