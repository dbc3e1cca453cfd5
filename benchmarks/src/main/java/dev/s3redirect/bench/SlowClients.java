package dev.s3redirect.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many misbehaving HTTP clients on raw sockets, all driven by one selector thread: each sends one
 * GET, reads the response head and a first buffer of the body, then either reads one byte a second
 * for as long as it lives ({@link Behaviour#TRICKLE}: a stalled client) or closes the connection
 * ({@link Behaviour#ABANDON}: an abandoned download).
 */
final class SlowClients implements AutoCloseable {

  /** What a client does after its first buffer. */
  enum Behaviour {
    TRICKLE,
    ABANDON
  }

  private static final int FIRST_READ = 64 * 1024;

  private final Selector selector;
  private final Behaviour behaviour;
  private final List<Client> clients = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private final AtomicInteger responsesStarted = new AtomicInteger();
  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger firstBuffers = new AtomicInteger();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final AtomicInteger connectFailures = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();

  private static final class Client {
    final SocketChannel channel;
    final StringBuilder head = new StringBuilder();
    long body;
    boolean inBody;
    boolean trickling;
    boolean done;

    Client(SocketChannel channel) {
      this.channel = channel;
    }
  }

  /** Opens {@code count} connections to {@code 127.0.0.1:port}, each asking for {@code path}. */
  SlowClients(int port, String path, int count, Behaviour behaviour) throws IOException {
    this.selector = Selector.open();
    this.behaviour = behaviour;
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < count; i++) {
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
      Client c = new Client(ch);
      clients.add(c);
      ch.connect(new InetSocketAddress("127.0.0.1", port));
      ch.register(selector, SelectionKey.OP_CONNECT, new Object[] {c, ByteBuffer.wrap(request)});
    }
    thread = new Thread(this::loop, "slow-clients-" + behaviour);
    thread.setDaemon(true);
    thread.start();
  }

  /** Clients that received a status line. */
  int responsesStarted() {
    return responsesStarted.get();
  }

  /** Clients whose status was 200. */
  int ok() {
    return ok.get();
  }

  /** Clients that read their first buffer (and then trickled or abandoned). */
  int firstBuffers() {
    return firstBuffers.get();
  }

  /** Connections the server closed or reset. */
  int closedByServer() {
    return closedByServer.get();
  }

  int connectFailures() {
    return connectFailures.get();
  }

  long bodyBytes() {
    return bodyBytes.get();
  }

  /** Clients still connected (not abandoned, not closed by the server). */
  int open() {
    int n = 0;
    synchronized (clients) {
      for (Client c : clients) {
        if (!c.done) {
          n++;
        }
      }
    }
    return n;
  }

  private void loop() {
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    ByteBuffer one = ByteBuffer.allocate(1);
    long nextTrickle = System.nanoTime() + 1_000_000_000L;
    while (running) {
      try {
        selector.select(200);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          Object[] att = (Object[]) key.attachment();
          Client c = (Client) att[0];
          try {
            if (key.isConnectable()) {
              c.channel.finishConnect();
              key.interestOps(SelectionKey.OP_WRITE);
            } else if (key.isWritable()) {
              ByteBuffer req = (ByteBuffer) att[1];
              c.channel.write(req);
              if (!req.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
              }
            } else if (key.isReadable()) {
              buffer.clear();
              int want = (int) Math.min(buffer.capacity(), FIRST_READ - c.body + 16 * 1024);
              buffer.limit(Math.max(1, want));
              int n = c.channel.read(buffer);
              if (n < 0) {
                finish(c, key, true);
              } else {
                consume(c, buffer.array(), n);
                if (c.inBody && c.body >= FIRST_READ) {
                  firstBuffers.incrementAndGet();
                  if (behaviour == Behaviour.ABANDON) {
                    finish(c, key, false);
                  } else {
                    c.trickling = true;
                    key.interestOps(0);
                  }
                }
              }
            }
          } catch (IOException e) {
            if (!c.inBody && c.head.length() == 0 && !c.channel.isConnected()) {
              connectFailures.incrementAndGet();
            }
            finish(c, key, true);
          }
        }
        if (System.nanoTime() >= nextTrickle) {
          nextTrickle += 1_000_000_000L;
          for (SelectionKey key : selector.keys()) {
            Client c = (Client) ((Object[]) key.attachment())[0];
            if (c.trickling && !c.done) {
              one.clear();
              try {
                int n = c.channel.read(one);
                if (n < 0) {
                  finish(c, key, true);
                } else {
                  c.body += n;
                  bodyBytes.addAndGet(n);
                }
              } catch (IOException e) {
                finish(c, key, true);
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // keep the loop alive; a broken selector ends with close()
      }
    }
  }

  private void consume(Client c, byte[] bytes, int n) {
    if (c.inBody) {
      c.body += n;
      bodyBytes.addAndGet(n);
      return;
    }
    boolean hadStatus = c.head.indexOf("\r\n") >= 0;
    c.head.append(new String(bytes, 0, n, StandardCharsets.ISO_8859_1));
    if (!hadStatus && c.head.indexOf("\r\n") >= 0) {
      responsesStarted.incrementAndGet();
      if (c.head.toString().startsWith("HTTP/1.1 200")) {
        ok.incrementAndGet();
      }
    }
    int end = c.head.indexOf("\r\n\r\n");
    if (end >= 0) {
      c.inBody = true;
      long extra = c.head.length() - end - 4L;
      c.body += extra;
      bodyBytes.addAndGet(extra);
      c.head.setLength(end);
    }
  }

  private void finish(Client c, SelectionKey key, boolean byServer) {
    if (c.done) {
      return;
    }
    synchronized (clients) {
      c.done = true;
    }
    if (byServer) {
      closedByServer.incrementAndGet();
    }
    key.cancel();
    try {
      c.channel.close();
    } catch (IOException e) {
      // gone
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Client c : clients) {
      try {
        c.channel.close();
      } catch (IOException e) {
        // gone
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // gone
    }
  }
}
