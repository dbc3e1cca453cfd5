package dev.s3redirect.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Many HTTP/1.1 clients on one thread, for tests of what slow clients cost a server: each sends a
 * GET, reads the response head, then reads one byte a second (or nothing), with a small receive
 * window as a phone on a bad network has. Later they can read on to the end, each body checked
 * against a digest, or hang up with a reset.
 */
public final class SlowClients implements AutoCloseable {

  /** One client. */
  private static final class Client {
    final SocketChannel channel;
    final StringBuilder head = new StringBuilder();
    boolean headRead;
    long bodyRead;
    MessageDigest digest;

    Client(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private final List<Client> clients = new ArrayList<>();
  private final Selector selector;

  private SlowClients() throws IOException {
    selector = Selector.open();
  }

  /**
   * Connects {@code count} clients to {@code port} and sends each {@code GET path}.
   *
   * @param port the server's port on the loopback interface
   * @param path the request target
   * @param count how many clients
   * @param receiveBuffer each socket's receive buffer, which bounds the window the server sees
   * @return the clients
   * @throws IOException if a client cannot connect or send
   */
  public static SlowClients connect(int port, String path, int count, int receiveBuffer)
      throws IOException {
    SlowClients slow = new SlowClients();
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      SocketChannel channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      channel.write(ByteBuffer.wrap(request));
      channel.configureBlocking(false);
      Client client = new Client(channel);
      channel.register(slow.selector, SelectionKey.OP_READ, client);
      slow.clients.add(client);
    }
    return slow;
  }

  /**
   * Reads until every client has its response head (and nothing of the body), within {@code
   * timeout}.
   *
   * @param timeout how long to wait for every head
   * @return the status lines seen, one per client that got a head
   * @throws IOException if reading fails
   */
  public List<String> awaitHeads(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (clients.stream().anyMatch(c -> !c.headRead) && System.nanoTime() < deadline) {
      selector.select(100);
      for (SelectionKey key : selector.selectedKeys()) {
        Client client = (Client) key.attachment();
        // One byte at a time: not a byte of the body is taken before the head is complete.
        while (!client.headRead) {
          one.clear();
          int n = client.channel.read(one);
          if (n <= 0) {
            if (n < 0) {
              client.headRead = true;
              client.head.append("(closed)");
            }
            break;
          }
          client.head.append((char) one.get(0));
          client.headRead = client.head.toString().endsWith("\r\n\r\n");
        }
      }
      selector.selectedKeys().clear();
    }
    List<String> statuses = new ArrayList<>();
    for (Client client : clients) {
      if (client.headRead) {
        statuses.add(client.head.toString().lines().findFirst().orElse(""));
      }
    }
    return statuses;
  }

  /**
   * Reads one byte from each client, as a client reading one byte a second does each second.
   *
   * @throws IOException if reading fails
   */
  public void trickle() throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    for (Client client : clients) {
      one.clear();
      if (client.channel.isOpen() && client.channel.read(one) > 0) {
        client.bodyRead++;
      }
    }
  }

  /**
   * Reads the first {@code count} clients to the end of their bodies, checking each against the
   * object (the bytes they trickled as its first bytes).
   *
   * @param count how many clients read on
   * @param length the body's length
   * @param object the object the body must equal
   * @param timeout how long to wait for every body
   * @return how many ended byte-exact
   * @throws IOException if reading fails
   */
  public int readToTheEnd(int count, long length, byte[] object, Duration timeout)
      throws IOException {
    List<Client> readers = clients.subList(0, count);
    for (Client client : readers) {
      client.digest = sha256();
      client.digest.update(object, 0, (int) client.bodyRead);
    }
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long deadline = System.nanoTime() + timeout.toNanos();
    int open = count;
    while (open > 0 && System.nanoTime() < deadline) {
      selector.select(100);
      for (SelectionKey key : selector.selectedKeys()) {
        Client client = (Client) key.attachment();
        if (client.digest == null || client.bodyRead >= length) {
          continue;
        }
        buffer.clear();
        int n = client.channel.read(buffer);
        if (n > 0) {
          client.digest.update(buffer.array(), 0, n);
          client.bodyRead += n;
          if (client.bodyRead >= length) {
            open--;
          }
        } else if (n < 0) {
          key.cancel();
          open--;
        }
      }
      selector.selectedKeys().clear();
    }
    String expected = HexFormat.of().formatHex(sha256().digest(object));
    int exact = 0;
    for (Client client : readers) {
      if (client.bodyRead == length
          && HexFormat.of().formatHex(client.digest.digest()).equals(expected)) {
        exact++;
      }
    }
    return exact;
  }

  /**
   * Hangs up every client not read to the end, with a reset.
   *
   * @throws IOException if closing fails
   */
  public void hangUp() throws IOException {
    for (Client client : clients) {
      if (client.digest == null && client.channel.isOpen()) {
        client.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        client.channel.close();
      }
    }
    // A channel registered with a selector is really closed when its key is deregistered, at
    // the next selection: without one, the server would never see the reset.
    selector.selectNow();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    for (Client client : clients) {
      client.channel.close();
    }
    selector.selectNow();
    selector.close();
  }
}
