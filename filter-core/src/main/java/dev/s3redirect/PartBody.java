package dev.s3redirect;

import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;

/** A later part of a multipart answer, as the planner judged S3's answer for it. */
sealed interface PartBody {

  /**
   * The body holds the part.
   *
   * @param body the body
   * @param slice where the part lies in it
   */
  record Usable(ObjectContent body, Answer.Slice slice) implements PartBody {}

  /**
   * The part cannot be sent: the response must be cut short.
   *
   * @param why why, for the log
   */
  record Unusable(String why) implements PartBody {}

  /** Opens the later parts of one multipart answer. */
  @FunctionalInterface
  interface Source {

    /**
     * Returns the body of a part of {@code object}, of the same version.
     *
     * @param object the object the answer started with
     * @param range the part
     * @return the part, or why it cannot be sent
     */
    PartBody open(ObjectMetadata object, ByteRange range);
  }
}
