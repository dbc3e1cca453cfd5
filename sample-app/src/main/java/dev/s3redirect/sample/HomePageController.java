package dev.s3redirect.sample;

import dev.s3redirect.sample.DemoObjects.DemoObject;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The page at {@code /}: the demo objects, a player, a picture and a signed link. */
@RestController
class HomePageController {
  private final DemoObjects objects;
  private final SignedLinks links;
  private final Duration linkLifetime;
  private final Clock clock;

  HomePageController(
      DemoObjects objects, SignedLinks links, SampleProperties properties, Clock clock) {
    this.objects = objects;
    this.links = links;
    this.linkLifetime = properties.linkLifetime();
    this.clock = clock;
  }

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE + ";charset=UTF-8")
  String page(HttpServletRequest request) {
    String origin =
        request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    String signed = links.link(DemoObjects.PRIVATE_KEY, linkLifetime);
    String expired = links.link(DemoObjects.PRIVATE_KEY, clock.instant().minusSeconds(60));
    String large = origin + href(DemoObjects.LARGE_KEY);
    StringBuilder html = new StringBuilder(8192);
    html.append(
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>s3-redirect sample</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
          code, pre { background: #f4f4f4; border-radius: 4px; }
          pre { padding: .75rem; overflow-x: auto; }
          table { border-collapse: collapse; width: 100%; }
          td, th { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
          td.size { text-align: right; white-space: nowrap; }
          img { max-width: 100%; border-radius: 6px; }
          audio { width: 100%; }
        </style>
        </head>
        <body>
        <h1>s3-redirect sample</h1>
        <p>Every file below comes from an S3 bucket. The application only decides whether you may
        have it and names it in an <code>X-S3-Redirect</code> header; the filter streams the object
        from S3, with ranges, conditional requests and exact lengths.</p>
        <h2>Public files</h2>
        <table>
        <tr><th>File</th><th>What it is</th><th class="size">Size</th></tr>
        """);
    for (DemoObject object : objects.all()) {
      if (!object.key().startsWith("public/")) {
        continue;
      }
      html.append("<tr><td><a class=\"object-link\" href=\"")
          .append(escape(href(object.key())))
          .append("\">")
          .append(escape(object.key().substring("public/".length())))
          .append("</a></td><td>")
          .append(escape(object.description()))
          .append("</td><td class=\"size\">")
          .append(size(object.length()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n<h2>Play and seek</h2>\n")
        .append("<p>The browser asks for byte ranges as you seek; the filter answers 206.</p>\n")
        .append("<audio id=\"player\" controls preload=\"metadata\" src=\"")
        .append(escape(href(DemoObjects.MEDIA_KEY)))
        .append("\"></audio>\n<h2>A picture</h2>\n<img id=\"picture\" src=\"")
        .append(escape(href(DemoObjects.PICTURE_KEY)))
        .append("\" alt=\"A generated gradient with circles\" width=\"800\" height=\"450\">\n")
        .append("<h2>Private files: the application authorises, the filter streams</h2>\n")
        .append("<p>This link was signed by the application for you and works for ")
        .append(linkLifetime.toMinutes())
        .append(" minutes: <a id=\"signed-link\" href=\"")
        .append(escape(signed))
        .append("\">quarterly-report.txt</a>.</p>\n")
        .append("<p>An <a id=\"expired-link\" href=\"")
        .append(escape(expired))
        .append("\">expired link</a> and an <a id=\"unsigned-link\" href=\"/files/private/")
        .append("quarterly-report.txt\">unsigned one</a> get 403 from the application; S3 is never")
        .append(" asked.</p>\n<h2>Try it with curl</h2>\n<pre>")
        .append(escape("curl -i " + origin + href(DemoObjects.HELLO_KEY)))
        .append('\n')
        .append(escape("curl -i -r 0-99 " + origin + href(DemoObjects.MEDIA_KEY) + " -o /dev/null"))
        .append('\n')
        .append(escape("curl -i -r 0-9,-10 " + origin + href(DemoObjects.HELLO_KEY)))
        .append('\n')
        .append(escape("curl -C - -o random.bin " + large + "   # run, interrupt, run again"))
        .append('\n')
        .append(escape("wget -c " + large))
        .append("</pre>\n</body>\n</html>\n");
    return html.toString();
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

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
