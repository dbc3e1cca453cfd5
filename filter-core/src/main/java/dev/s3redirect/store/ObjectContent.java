package dev.s3redirect.store;

import java.io.Closeable;
import java.io.InputStream;
import java.util.Optional;

/**
 * An object being read: its metadata and the body arriving from S3.
 *
 * <p>Exactly one of {@link #close()} (after reading to the end) or {@link #abort()} (at any other
 * time) ends it. Closing a partly read body may read the rest of it to reuse the connection, which
 * for a large object means downloading it anyway; {@link #abort()} drops the connection instead.
 */
public interface ObjectContent extends Closeable {

  /**
   * Returns the object's metadata; its length is the whole object's.
   *
   * @return the metadata
   */
  ObjectMetadata metadata();

  /**
   * Returns the part of the object the body holds when S3 sent a part (206), or empty when it sent
   * the whole object.
   *
   * @return the part, from its {@code Content-Range}
   */
  Optional<ByteRange> part();

  /**
   * Returns the number of bytes in {@link #body()}.
   *
   * @return the part's length, or the object's
   */
  default long bodyLength() {
    return part().map(ByteRange::length).orElse(metadata().contentLength());
  }

  /**
   * Returns the body; read failures surface as {@link java.io.IOException}.
   *
   * @return the body stream
   */
  InputStream body();

  /** Stops reading and releases the connection without reading the rest of the body. */
  void abort();

  /** Releases the connection after the body has been read to its end. */
  @Override
  void close();
}
