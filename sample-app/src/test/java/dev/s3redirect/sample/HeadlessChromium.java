package dev.s3redirect.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The system's Chromium (Debian package {@code chromium}), headless, driven over the Chrome
 * DevTools Protocol with nothing but the JDK's HTTP and WebSocket clients and Jackson.
 *
 * <p>One browser process with its own temporary profile, one page target. Every wait is bounded;
 * {@link #close()} ends the process and all its children and deletes the profile. DevTools listens
 * on loopback only, on a port Chromium picks.
 */
final class HeadlessChromium implements AutoCloseable {
  /** Debian's launcher script, which execs {@code /usr/lib/chromium/chromium}. */
  static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Process process;
  private final List<ProcessHandle> processTree = new CopyOnWriteArrayList<>();
  private final Path tempDir;
  private final Path log;
  private final HttpClient http;
  private WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<EventWaiter> eventWaiters = new CopyOnWriteArrayList<>();
  private volatile Throwable connectionFailure;

  private record EventWaiter(String method, CompletableFuture<JsonNode> params) {}

  /**
   * Whether Chromium is installed where this class looks for it.
   *
   * @return whether {@link #EXECUTABLE} is an executable file
   */
  static boolean isInstalled() {
    return Files.isRegularFile(EXECUTABLE) && Files.isExecutable(EXECUTABLE);
  }

  private HeadlessChromium(Process process, Path tempDir, Path log) {
    this.process = process;
    this.tempDir = tempDir;
    this.log = log;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Starts Chromium and opens a blank page.
   *
   * @param width the window's width in CSS pixels
   * @param height the window's height in CSS pixels
   * @param timeout the longest wait for the browser to start and the page to open
   * @return the browser, with its page connected
   * @throws IOException if it cannot be started or does not answer in time
   */
  static HeadlessChromium launch(int width, int height, Duration timeout) throws IOException {
    Path tempDir = Files.createTempDirectory("headless-chromium-");
    Path profile = Files.createDirectory(tempDir.resolve("profile"));
    Path log = tempDir.resolve("chromium.log");
    List<String> command =
        List.of(
            EXECUTABLE.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + profile,
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "--autoplay-policy=no-user-gesture-required",
            "--mute-audio",
            "--window-size=" + width + "," + height,
            "about:blank");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
    } catch (IOException e) {
      deleteRecursively(tempDir);
      throw e;
    }
    HeadlessChromium chromium = new HeadlessChromium(process, tempDir, log);
    try {
      chromium.connect(
          profile.resolve("DevToolsActivePort"), System.nanoTime() + timeout.toNanos());
      return chromium;
    } catch (IOException | RuntimeException | Error e) {
      chromium.close();
      throw e;
    }
  }

  private void connect(Path activePort, long deadline) throws IOException {
    int port = waitForPort(activePort, deadline);
    URI newTarget = URI.create("http://127.0.0.1:" + port + "/json/new?about:blank");
    String target;
    try {
      // Chromium 111+ refuses GET for /json/new.
      target =
          http.send(
                  HttpRequest.newBuilder(newTarget)
                      .timeout(remaining(deadline))
                      .PUT(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  BodyHandlers.ofString())
              .body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening a page", e);
    }
    String webSocketUrl = JSON.readTree(target).path("webSocketDebuggerUrl").asString("");
    if (!webSocketUrl.startsWith("ws://127.0.0.1:")) {
      throw new IOException("Chromium opened no page on loopback: " + target);
    }
    socket =
        await(
            http.newWebSocketBuilder()
                .connectTimeout(remaining(deadline))
                .buildAsync(URI.create(webSocketUrl), new Listener()),
            remaining(deadline),
            "the DevTools WebSocket");
    send("Page.enable", Map.of(), remaining(deadline));
    send("Runtime.enable", Map.of(), remaining(deadline));
  }

  private int waitForPort(Path activePort, long deadline) throws IOException {
    while (true) {
      rememberProcessTree();
      if (Files.isRegularFile(activePort)) {
        List<String> lines = Files.readAllLines(activePort, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      }
      if (!process.isAlive()) {
        throw new IOException(
            "Chromium exited with "
                + process.exitValue()
                + " before DevTools listened"
                + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("Chromium wrote no DevToolsActivePort in time" + logTail());
      }
      sleep(50);
    }
  }

  /**
   * Sends one DevTools command and waits for its answer.
   *
   * @param method the command, such as {@code Page.navigate}
   * @param params its parameters (converted with Jackson)
   * @param timeout the longest wait for the answer
   * @return the answer's {@code result}
   * @throws IOException if Chromium answers with an error, or not in time
   */
  JsonNode send(String method, Map<String, ?> params, Duration timeout) throws IOException {
    long id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      Throwable failure = connectionFailure;
      if (failure != null) {
        throw new IOException("the DevTools connection failed", failure);
      }
      await(socket.sendText(JSON.writeValueAsString(message), true), timeout, method + " (send)");
      JsonNode reply = await(answer, timeout, method);
      if (reply.has("error")) {
        throw new IOException(method + " failed: " + reply.get("error"));
      }
      return reply.path("result");
    } finally {
      pending.remove(id);
    }
  }

  /**
   * Loads a URL in the page and waits for its {@code load} event (images included).
   *
   * @param url the address
   * @param timeout the longest wait
   * @throws IOException if navigation fails or the page does not load in time
   */
  void navigate(String url, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<JsonNode> loaded = nextEvent("Page.loadEventFired");
    JsonNode result = send("Page.navigate", Map.of("url", url), remaining(deadline));
    if (result.hasNonNull("errorText")) {
      throw new IOException("navigation to " + url + " failed: " + result.get("errorText"));
    }
    await(loaded, remaining(deadline), "the load event of " + url);
  }

  /**
   * Evaluates a JavaScript expression in the page, waits for the promise it returns, and gives its
   * value as JSON.
   *
   * @param expression the expression; a promise is awaited
   * @param timeout the longest wait for the value
   * @return the value, as JSON
   * @throws IOException if the expression throws or rejects, or does not settle in time
   */
  JsonNode evaluate(String expression, Duration timeout) throws IOException {
    JsonNode result =
        send(
            "Runtime.evaluate",
            Map.of("expression", expression, "awaitPromise", true, "returnByValue", true),
            timeout);
    if (result.has("exceptionDetails")) {
      JsonNode details = result.get("exceptionDetails");
      String description = details.path("exception").path("description").asString("");
      throw new IOException(
          "the page threw: " + (description.isEmpty() ? details.toString() : description));
    }
    return result.path("result").path("value");
  }

  /**
   * Takes a PNG screenshot of the whole page, beyond the viewport if it is taller.
   *
   * @param timeout the longest wait
   * @return the PNG bytes
   * @throws IOException if Chromium does not take it in time
   */
  byte[] screenshot(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode size =
        send("Page.getLayoutMetrics", Map.of(), remaining(deadline)).path("cssContentSize");
    Map<String, Object> clip =
        Map.of(
            "x", 0,
            "y", 0,
            "width", Math.ceil(size.path("width").asDouble(1)),
            "height", Math.ceil(size.path("height").asDouble(1)),
            "scale", 1);
    JsonNode result =
        send(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip),
            remaining(deadline));
    return Base64.getDecoder().decode(result.path("data").asString(""));
  }

  private CompletableFuture<JsonNode> nextEvent(String method) {
    EventWaiter waiter = new EventWaiter(method, new CompletableFuture<>());
    eventWaiters.add(waiter);
    waiter.params().whenComplete((params, failure) -> eventWaiters.remove(waiter));
    return waiter.params();
  }

  private void dispatch(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (RuntimeException notJson) {
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
      if (answer != null) {
        answer.complete(message);
      }
      return;
    }
    String method = message.path("method").asString("");
    for (EventWaiter waiter : eventWaiters) {
      if (waiter.method().equals(method)) {
        waiter.params().complete(message.path("params"));
      }
    }
  }

  private void failAll(Throwable failure) {
    connectionFailure = failure;
    pending.values().forEach(answer -> answer.completeExceptionally(failure));
    eventWaiters.forEach(waiter -> waiter.params().completeExceptionally(failure));
  }

  /** Collects fragments into whole messages; WebSocket text may arrive in several parts. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        String whole = message.toString();
        message.setLength(0);
        dispatch(whole);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      failAll(new IOException("DevTools closed the connection: " + statusCode + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      failAll(error);
    }
  }

  /** Closes the connection, ends Chromium and every process it started, deletes the profile. */
  @Override
  public void close() {
    rememberProcessTree();
    if (socket != null && connectionFailure == null) {
      try {
        // Chromium shuts down quicker when asked over DevTools than on SIGTERM.
        send("Browser.close", Map.of(), Duration.ofSeconds(2));
      } catch (IOException closingAnyway) {
        // The connection may close before the answer comes; the process is ended below anyway.
      }
    }
    failAll(new IOException("closed"));
    if (socket != null) {
      socket.abort();
    }
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
      // Its children end with it; whatever has not within 5 s is killed.
      processTree.forEach(ProcessHandle::destroy);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (ProcessHandle child : processTree) {
        try {
          child.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
          child.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      processTree.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
    deleteRecursively(tempDir);
  }

  /** Children are re-parented when their parent dies, so they are collected while it lives. */
  private void rememberProcessTree() {
    process.descendants().filter(child -> !processTree.contains(child)).forEach(processTree::add);
  }

  /**
   * The process ids of Chromium and of every process of it seen so far, for checks that nothing is
   * left running.
   *
   * @return the processes, the browser first
   */
  List<ProcessHandle> processes() {
    rememberProcessTree();
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    all.addAll(processTree);
    return all;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "; its output ends:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what)
      throws IOException {
    try {
      return future.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IOException("no answer from Chromium within " + timeout + ": " + what, e);
    } catch (ExecutionException e) {
      throw new IOException("Chromium failed: " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + what, e);
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    for (int attempt = 0; attempt < 3; attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
        return;
      } catch (IOException | UncheckedIOException stillInUse) {
        // Chromium's last child may still be writing; try again shortly.
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
