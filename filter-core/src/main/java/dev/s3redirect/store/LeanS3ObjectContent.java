package dev.s3redirect.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * An object the {@link LeanS3ObjectStore} is reading: the pooled connection's body stream itself,
 * with no wrapper and no copy. Reading it to its end releases the connection to the pool; {@link
 * #abort()} closes the connection at once, so S3 stops sending.
 *
 * @param metadata the object's metadata
 * @param part the part the body holds, or empty for the whole object
 * @param body the body stream
 * @param aborter drops the connection without reading the rest
 */
record LeanS3ObjectContent(
    ObjectMetadata metadata, Optional<ByteRange> part, InputStream body, Runnable aborter)
    implements ObjectContent {

  LeanS3ObjectContent {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(aborter, "aborter");
  }

  @Override
  public void abort() {
    aborter.run();
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // The body was read to its end: nothing is lost if releasing the connection fails.
      aborter.run();
    }
  }
}
