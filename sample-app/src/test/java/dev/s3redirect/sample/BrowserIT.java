package dev.s3redirect.sample;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import tools.jackson.databind.JsonNode;

/**
 * The sample page in a real browser: headless Chromium loads it, shows the picture, plays the audio
 * and seeks to its middle, which the filter answers with a 206 for a range far into the file.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sample.s3.port=0")
@EnabledIf(
    value = "dev.s3redirect.sample.HeadlessChromium#isInstalled",
    disabledReason = "Chromium is not installed (Debian package chromium); .ci/run installs it")
class BrowserIT {
  private static final String MEDIA = "/files/public/media/";
  private static final Path SCREENSHOT = Path.of("target", "sample-page.png");

  /** One range from a first position: {@code bytes=N-} or {@code bytes=N-M}. */
  private static final Pattern RANGE_FROM = Pattern.compile("bytes=(\\d+)-\\d*");

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes \\d+-\\d+/(\\d+)");

  @LocalServerPort int port;

  @Autowired MediaRequests mediaRequests;

  /** What the server answered to one request for a media file, as seen outside every filter. */
  record MediaRequest(
      String method,
      String uri,
      String range,
      int status,
      String contentRange,
      String contentLength) {}

  /** The media requests the server has finished answering, and how many it is still answering. */
  static final class MediaRequests {
    final List<MediaRequest> finished = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();

    List<MediaRequest> awaitAllFinished(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      assertThat(inFlight.get()).as("media responses still being sent").isZero();
      return new ArrayList<>(finished);
    }
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class RecordMediaRequests {
    @Bean
    MediaRequests mediaRequests() {
      return new MediaRequests();
    }

    /** Outside the s3-redirect filter, so it sees the status and headers the client got. */
    @Bean
    FilterRegistrationBean<Filter> mediaRequestRecorder(MediaRequests requests) {
      Filter recorder =
          (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            HttpServletResponse answer = (HttpServletResponse) response;
            requests.inFlight.incrementAndGet();
            try {
              chain.doFilter(request, response);
            } finally {
              requests.finished.add(
                  new MediaRequest(
                      http.getMethod(),
                      http.getRequestURI(),
                      http.getHeader("Range"),
                      answer.getStatus(),
                      answer.getHeader("Content-Range"),
                      answer.getHeader("Content-Length")));
              requests.inFlight.decrementAndGet();
            }
          };
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(recorder);
      registration.addUrlPatterns(MEDIA + "*");
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return registration;
    }
  }

  @Test
  @Timeout(value = 50, unit = TimeUnit.SECONDS)
  void thePageShowsThePictureAndTheAudioPlaysAndSeeksThroughRangeRequests() throws Exception {
    String base = "http://127.0.0.1:" + port;
    JsonNode page;
    JsonNode playback;
    JsonNode offloaded;
    List<ProcessHandle> browserProcesses;
    Map<String, Long> millis = new LinkedHashMap<>();
    long started = System.nanoTime();
    try (HeadlessChromium chromium = HeadlessChromium.launch(1280, 900, Duration.ofSeconds(20))) {
      browserProcesses = chromium.processes();
      millis.put("launch", elapsedMillis(started));
      chromium.navigate(base + "/", Duration.ofSeconds(15));
      millis.put("load", elapsedMillis(started));
      page = chromium.evaluate(PAGE_CONTENTS, Duration.ofSeconds(5));

      assertThat(page.path("title").asString()).isNotBlank();
      assertThat(page.path("audio").path("src").asString())
          .isEqualTo("/files/public/media/tone.wav");
      assertThat(page.path("audio").path("preload").asString()).isEqualTo("metadata");
      assertThat(page.path("audio").path("controls").asBoolean()).isTrue();
      assertThat(page.path("image").path("src").asString())
          .isEqualTo("/files/public/images/picture.png");
      assertThat(page.path("image").path("naturalWidth").asInt())
          .as("the picture's width as the browser decoded it")
          .isPositive();
      List<String> objectLinks = new ArrayList<>();
      page.path("objectLinks").forEach(link -> objectLinks.add(link.asString()));
      assertThat(objectLinks)
          .as("the page's object links")
          .isNotEmpty()
          .allMatch(href -> href.startsWith("/files/public/"))
          .contains("/files/public/media/tone.wav", "/files/public/images/picture.png");
      assertThat(page.path("signedLink").asString())
          .startsWith("/files/private/")
          .contains("expires=", "signature=");

      playback = chromium.evaluate(playAndSeekToTheMiddle("player"), Duration.ofSeconds(25));
      millis.put("played and seeked", elapsedMillis(started));
      chromium.evaluate("document.getElementById('player').pause()", Duration.ofSeconds(5));
      offloaded = chromium.evaluate(playAndSeekToTheMiddle("offloaded"), Duration.ofSeconds(25));
      millis.put("played and seeked from S3", elapsedMillis(started));

      Files.createDirectories(SCREENSHOT.getParent());
      Files.write(SCREENSHOT, chromium.screenshot(Duration.ofSeconds(10)));
      millis.put("screenshot", elapsedMillis(started));
    }
    millis.put("closed", elapsedMillis(started));
    assertThat(browserProcesses)
        .as("Chromium's processes after close()")
        .noneMatch(p -> p.isAlive());

    // The browser is gone, so every response it abandoned has ended on the server too.
    List<MediaRequest> requests = mediaRequests.awaitAllFinished(Duration.ofSeconds(10));
    long length = objectLength(requests);
    double duration = playback.path("duration").asDouble();
    double currentTime = playback.path("currentTime").asDouble();
    System.out.printf(
        "BrowserIT: ms since launch %s; duration %.3f s, currentTime %.3f s, length %d bytes;"
            + " media requests %s%n",
        millis, duration, currentTime, length, requests);

    assertThat(duration).as("duration (s)").isGreaterThan(60);
    assertThat(currentTime)
        .as("currentTime after the seek (s)")
        .isGreaterThanOrEqualTo(duration / 2 - 1);
    assertThat(playback.path("paused").asBoolean()).as("paused").isFalse();

    // The offloaded player was redirected to a presigned URL and read and seeked from S3 itself.
    assertThat(offloaded.path("src").asString())
        .endsWith("/files/public/media/tone.wav?delivery=redirect");
    assertThat(offloaded.path("duration").asDouble())
        .as("offloaded duration (s)")
        .isEqualTo(duration);
    assertThat(offloaded.path("currentTime").asDouble())
        .as("offloaded currentTime after the seek (s)")
        .isGreaterThanOrEqualTo(duration / 2 - 1);
    assertThat(offloaded.path("paused").asBoolean()).as("offloaded paused").isFalse();
    assertThat(requests)
        .as("the offloaded player's requests to the application: redirects, no bytes")
        .anySatisfy(request -> assertThat(request.status()).isEqualTo(302));

    assertThat(requests)
        .as("media requests (length %d bytes)", length)
        .anySatisfy(
            request -> {
              Matcher range = RANGE_FROM.matcher(String.valueOf(request.range()));
              assertThat(range.matches()).as("a single Range with a first position").isTrue();
              assertThat(Long.parseLong(range.group(1))).isGreaterThan(length / 4);
              assertThat(request.status()).isEqualTo(206);
              assertThat(request.contentRange()).startsWith("bytes " + range.group(1) + "-");
            });
    assertThat(Files.size(SCREENSHOT)).isPositive();
  }

  private static long elapsedMillis(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  private static long objectLength(List<MediaRequest> requests) {
    for (MediaRequest request : requests) {
      if (request.contentRange() != null) {
        Matcher total = CONTENT_RANGE.matcher(request.contentRange());
        if (total.matches()) {
          return Long.parseLong(total.group(1));
        }
      }
      if (request.status() == 200 && request.contentLength() != null) {
        return Long.parseLong(request.contentLength());
      }
    }
    throw new AssertionError("no media response told the file's length: " + requests);
  }

  private static final String PAGE_CONTENTS =
      """
      (() => {
        const audio = document.getElementById('player');
        const image = document.getElementById('picture');
        const signed = document.getElementById('signed-link');
        return {
          title: document.title,
          audio: audio && {
            tag: audio.tagName,
            src: audio.getAttribute('src'),
            preload: audio.getAttribute('preload'),
            controls: audio.controls,
          },
          image: image && {
            src: image.getAttribute('src'),
            complete: image.complete,
            naturalWidth: image.naturalWidth,
            naturalHeight: image.naturalHeight,
          },
          objectLinks: [...document.querySelectorAll('a.object-link')].map(a => a.getAttribute('href')),
          signedLink: signed && signed.getAttribute('href'),
        };
      })()
      """;

  /**
   * Waits for the metadata of the audio element {@code id}, starts playing, seeks to the middle and
   * waits for the seek and for playback to go on from there. Rejects on a media error or after 15 s
   * for any one step.
   */
  private static String playAndSeekToTheMiddle(String id) {
    return PLAY_AND_SEEK_TO_THE_MIDDLE.replace("__ID__", id);
  }

  private static final String PLAY_AND_SEEK_TO_THE_MIDDLE =
      """
      (async () => {
        const audio = document.getElementById('__ID__');
        const event = (type) => new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no ' + type + ' event within 15 s')), 15000);
          const failed = () => { clearTimeout(timer); reject(new Error('media error ' + (audio.error && audio.error.code) + ' while waiting for ' + type)); };
          audio.addEventListener('error', failed, { once: true });
          audio.addEventListener(type, () => {
            clearTimeout(timer);
            audio.removeEventListener('error', failed);
            resolve();
          }, { once: true });
        });
        if (audio.readyState < HTMLMediaElement.HAVE_METADATA) {
          await event('loadedmetadata');
        }
        await audio.play();
        const duration = audio.duration;
        const seeked = event('seeked');
        audio.currentTime = duration / 2;
        await seeked;
        await event('timeupdate');
        return { duration, currentTime: audio.currentTime, paused: audio.paused, readyState: audio.readyState, src: audio.currentSrc };
      })()
      """;
}
