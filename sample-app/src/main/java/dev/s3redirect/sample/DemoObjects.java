package dev.s3redirect.sample;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The demo's objects, and their upload at startup: to the embedded S3 server every time (it keeps
 * nothing between runs), to real S3 only where an object of that length is not there yet.
 *
 * <p>The upload runs once every bean exists and before the web server opens its port, so the very
 * first request finds every object in place.
 */
@Component
class DemoObjects implements SmartInitializingSingleton {

  private static final Logger LOG = System.getLogger(DemoObjects.class.getName());

  static final String HELLO_KEY = "public/hello.txt";
  static final String HELLO_TEXT = "Hello from S3, streamed by s3-redirect.\n";
  static final String MEDIA_KEY = "public/media/tone.wav";
  static final String PICTURE_KEY = "public/images/picture.png";
  static final String NOTES_KEY = "public/notes/café 日本語.txt";
  static final String LARGE_KEY = "public/large/random-64MiB.bin";
  static final long LARGE_LENGTH = 64L * 1024 * 1024;
  static final long LARGE_SEED = 20261201L;
  static final String PRIVATE_KEY = SignedLinks.PRIVATE_PREFIX + "quarterly-report.txt";

  /**
   * One demo object.
   *
   * @param key its key in the demo bucket
   * @param description what it is for, for the page
   * @param contentType its stored content type
   * @param length its length in bytes
   * @param content its bytes, made when uploaded
   */
  record DemoObject(
      String key,
      String description,
      String contentType,
      long length,
      Supplier<InputStream> content) {}

  private final S3Client s3;
  private final String bucket;
  private final boolean embedded;
  private final List<DemoObject> objects;

  DemoObjects(S3Client s3, SampleProperties properties) {
    this.s3 = s3;
    this.bucket = properties.bucket();
    this.embedded = properties.s3().embedded();
    byte[] wav = DemoMedia.toneWav(120, 44_100);
    byte[] png = DemoMedia.picturePng(800, 450);
    byte[] notes =
        ("Notes with a non-ASCII name: café, 日本語.\n"
                + "The key is percent-encoded in links and in the X-S3-Redirect header, and decoded"
                + " exactly once.\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] report =
        "Quarterly report (private): only holders of a valid signed link can read this.\n"
            .getBytes(StandardCharsets.UTF_8);
    byte[] hello = HELLO_TEXT.getBytes(StandardCharsets.UTF_8);
    this.objects =
        List.of(
            bytes(HELLO_KEY, "A small text file", "text/plain; charset=utf-8", hello),
            bytes(MEDIA_KEY, "Two minutes of tones: play it and seek", "audio/wav", wav),
            bytes(PICTURE_KEY, "A generated picture", "image/png", png),
            bytes(
                NOTES_KEY, "A text file with a non-ASCII name", "text/plain; charset=utf-8", notes),
            new DemoObject(
                LARGE_KEY,
                "64 MiB of random bytes: download it, interrupt, resume",
                "application/octet-stream",
                LARGE_LENGTH,
                () -> DemoMedia.randomBytes(LARGE_LENGTH, LARGE_SEED)),
            bytes(PRIVATE_KEY, "A private file, only through a signed link", "text/plain", report));
  }

  private static DemoObject bytes(
      String key, String description, String contentType, byte[] content) {
    return new DemoObject(
        key, description, contentType, content.length, () -> new ByteArrayInputStream(content));
  }

  /** Returns every demo object, public ones first. */
  List<DemoObject> all() {
    return objects;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    for (DemoObject object : objects) {
      if (!embedded && alreadyThere(object)) {
        continue;
      }
      s3.putObject(
          b -> b.bucket(bucket).key(object.key()).contentType(object.contentType()),
          RequestBody.fromContentProvider(
              object.content()::get, object.length(), object.contentType()));
    }
    LOG.log(Level.INFO, "{0} demo objects ready in bucket {1}", objects.size(), bucket);
  }

  private boolean alreadyThere(DemoObject object) {
    try {
      return s3.headObject(b -> b.bucket(bucket).key(object.key())).contentLength()
          == object.length();
    } catch (NoSuchKeyException missing) {
      return false;
    }
  }
}
