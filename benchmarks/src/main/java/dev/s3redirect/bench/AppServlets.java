package dev.s3redirect.bench;

import dev.s3redirect.S3RedirectSettings;
import dev.s3redirect.store.GetResult;
import dev.s3redirect.store.ObjectMetadata;
import dev.s3redirect.store.ObjectRequest;
import dev.s3redirect.store.ObjectStore;
import dev.s3redirect.store.ObjectStoreException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The applications the benchmark measures, each serving {@code <prefix>/<key>} of one bucket. */
final class AppServlets {

  private AppServlets() {}

  private static String key(HttpServletRequest request) {
    String path = request.getPathInfo();
    return path == null ? "" : path.substring(1);
  }

  /** The application behind the filter: it names the object, the filter does the rest. */
  static final class RedirectingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String bucket;

    RedirectingServlet(String bucket) {
      this.bucket = bucket;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      response.setHeader(
          S3RedirectSettings.DEFAULT_HEADER_NAME, "s3://" + bucket + "/" + key(request));
    }
  }

  /** The naive application: the whole object into a byte array, then out to the client. */
  static final class InMemoryServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String bucket;
    private final transient S3Client client;
    private final transient AtomicLong s3Requests;

    InMemoryServlet(String bucket, S3Client client, AtomicLong s3Requests) {
      this.bucket = bucket;
      this.client = client;
      this.s3Requests = s3Requests;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      s3Requests.incrementAndGet();
      byte[] bytes =
          client.getObjectAsBytes(b -> b.bucket(bucket).key(key(request))).asByteArrayUnsafe();
      response.setContentType("application/octet-stream");
      response.setContentLengthLong(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }

  /**
   * The application behind the nginx recipe: it presigns a GET (SigV4, query form) for the S3
   * server's own host and answers {@code X-Accel-Redirect: /s3signed/<bucket>/<key>?<query>}.
   */
  static final class AccelServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final String bucket;
    private final transient S3Presigner presigner;

    AccelServlet(String bucket, S3Presigner presigner) {
      this.bucket = bucket;
      this.presigner = presigner;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      var url =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(10))
                          .getObjectRequest(g -> g.bucket(bucket).key(key(request))))
              .url();
      // Path-style: the URL's path is /<bucket>/<key>; nginx's /s3signed/ location strips its
      // prefix and sends the rest, query included, to the S3 server.
      response.setHeader("X-Accel-Redirect", "/s3signed" + url.getPath() + "?" + url.getQuery());
    }
  }

  /** Counts the requests the filter sends through its store, whatever the engine. */
  static final class CountingStore implements ObjectStore {
    private final ObjectStore store;
    private final AtomicLong requests;

    CountingStore(ObjectStore store, AtomicLong requests) {
      this.store = store;
      this.requests = requests;
    }

    @Override
    public ObjectMetadata head(dev.s3redirect.S3Location location) throws ObjectStoreException {
      requests.incrementAndGet();
      return store.head(location);
    }

    @Override
    public boolean isContended() {
      return store.isContended();
    }

    @Override
    public GetResult get(ObjectRequest request) throws ObjectStoreException {
      requests.incrementAndGet();
      return store.get(request);
    }
  }
}
