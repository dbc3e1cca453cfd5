package dev.s3redirect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Established TCP connections of this machine, from {@code /proc/net/tcp} and {@code tcp6}. */
final class TcpConnections {

  private TcpConnections() {}

  /** Connections in state ESTABLISHED whose remote port is {@code port}, or -1 if unreadable. */
  static int establishedTo(int port) {
    try {
      int n = 0;
      for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        Path p = Path.of(file);
        if (Files.exists(p)) {
          n += establishedTo(Files.readAllLines(p), port);
        }
      }
      return n;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The same, from the lines of one such file (header line included). */
  static int establishedTo(List<String> lines, int port) {
    int n = 0;
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      // sl local_address rem_address st ...; addresses are HEX_IP:HEX_PORT; 01 is ESTABLISHED
      if (f.length < 4 || !f[0].endsWith(":") || !"01".equals(f[3])) {
        continue;
      }
      int colon = f[2].lastIndexOf(':');
      if (colon > 0 && Integer.parseInt(f[2].substring(colon + 1), 16) == port) {
        n++;
      }
    }
    return n;
  }
}
