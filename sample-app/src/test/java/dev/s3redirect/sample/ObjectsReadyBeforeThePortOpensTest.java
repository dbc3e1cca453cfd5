package dev.s3redirect.sample;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.embedded.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo objects are in place before the application accepts requests: a request sent the moment
 * the port opens gets the object, not a 404.
 */
class ObjectsReadyBeforeThePortOpensTest {

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Connects as soon as something listens on the port, trying every few milliseconds. */
  private static Socket connectTheMomentItOpens(int port, CompletableFuture<?> starting)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
        socket.setSoTimeout(30_000);
        return socket;
      } catch (ConnectException notYet) {
        socket.close();
        if (starting.isDone()) {
          starting.join(); // rethrows a failed start
          throw new AssertionError("the application started but its port never opened");
        }
        assertThat(System.nanoTime()).as("the port opens within 60 s").isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(2);
      }
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aRequestTheMomentThePortOpensGetsTheObject() throws Exception {
    int port = freeLoopbackPort();
    CompletableFuture<ConfigurableApplicationContext> starting =
        CompletableFuture.supplyAsync(
            () ->
                new SpringApplicationBuilder(SampleApplication.class)
                    .properties("server.port=" + port, "sample.s3.port=0")
                    .run());
    try (Socket socket = connectTheMomentItOpens(port, starting)) {
      RawHttp.send(socket, "/files/public/hello.txt");
      InputStream in = socket.getInputStream();
      String head = RawHttp.readHead(in);

      assertThat(head).startsWith("HTTP/1.1 200");
      assertThat(new String(in.readNBytes(DemoObjects.HELLO_TEXT.length()), US_ASCII))
          .isEqualTo(DemoObjects.HELLO_TEXT);
    } finally {
      starting.get(60, TimeUnit.SECONDS).close();
    }
  }
}
