package dev.s3redirect.sample;

import dev.s3redirect.sample.DemoObjects.DemoObject;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The page at {@code /} ({@code templates/index.html}): the demo objects, a player, a picture and a
 * signed link.
 */
@Controller
class HomePageController {
  private final DemoObjects objects;
  private final SignedLinks links;
  private final Duration linkLifetime;
  private final Clock clock;

  /**
   * One public file in the page's table.
   *
   * @param href its link
   * @param name its key below {@code public/}
   * @param description what it is for
   * @param size its length, for people
   */
  record PublicFile(String href, String name, String description, String size) {}

  HomePageController(
      DemoObjects objects, SignedLinks links, SampleProperties properties, Clock clock) {
    this.objects = objects;
    this.links = links;
    this.linkLifetime = properties.linkLifetime();
    this.clock = clock;
  }

  @GetMapping("/")
  String page(HttpServletRequest request, Model model) {
    String origin =
        request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    String large = origin + href(DemoObjects.LARGE_KEY);
    List<PublicFile> files =
        objects.all().stream()
            .filter(object -> object.key().startsWith("public/"))
            .map(HomePageController::publicFile)
            .toList();
    model.addAttribute("files", files);
    model.addAttribute("mediaHref", href(DemoObjects.MEDIA_KEY));
    model.addAttribute("offloadedMediaHref", href(DemoObjects.MEDIA_KEY) + "?delivery=redirect");
    model.addAttribute("pictureHref", href(DemoObjects.PICTURE_KEY));
    model.addAttribute("linkMinutes", linkLifetime.toMinutes());
    model.addAttribute("signedLink", links.link(DemoObjects.PRIVATE_KEY, linkLifetime));
    model.addAttribute(
        "expiredLink", links.link(DemoObjects.PRIVATE_KEY, clock.instant().minusSeconds(60)));
    model.addAttribute("unsignedLink", href(DemoObjects.PRIVATE_KEY));
    model.addAttribute(
        "curl",
        String.join(
            "\n",
            "curl -i " + origin + href(DemoObjects.HELLO_KEY),
            "curl -i -r 0-99 " + origin + href(DemoObjects.MEDIA_KEY) + " -o /dev/null",
            "curl -s -D - -o /dev/null -r 0-9,-10 "
                + origin
                + href(DemoObjects.MEDIA_KEY)
                + "   # multipart/byteranges",
            "curl -C - -o random.bin " + large + "   # run, interrupt, run again",
            "wget -c " + large));
    return "index";
  }

  private static PublicFile publicFile(DemoObject object) {
    return new PublicFile(
        href(object.key()),
        object.key().substring("public/".length()),
        object.description(),
        size(object.length()));
  }

  private static String href(String key) {
    return "/files/" + SignedLinks.encodePath(key);
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
