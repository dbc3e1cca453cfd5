package dev.s3redirect;

import dev.s3redirect.store.ObjectMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checksums S3 stores for objects the filter served recently, by object and entity-tag.
 *
 * <p>A partial answer's {@code Repr-Digest} describes the whole object, and S3 never sends the
 * whole object's checksums with a range, so they come from a HeadObject, sent before the ranged
 * GetObject so that no exchange holds one S3 connection while it waits for another. Remembering
 * what HEADs and whole answers said makes that one HeadObject per object version, not one per
 * range: a media player's seeks cost nothing extra after the first. An entry is used only for the
 * entity-tag it was learned with; one found stale is forgotten, so the object's next range asks
 * again. Bounded: the least recently used objects are forgotten.
 */
final class KnownChecksums {

  /** Entries kept: a few hundred bytes each, so about a megabyte at most. */
  static final int CAPACITY = 2048;

  private final Map<S3Location, ObjectMetadata> byObject;

  KnownChecksums(int capacity) {
    this.byObject =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<S3Location, ObjectMetadata> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * Remembers what S3 said of an object's checksums; an answer without an entity-tag is not
   * remembered.
   *
   * @param location the object as the application named it
   * @param object metadata from a HeadObject or from a whole GetObject answer: both asked S3 for
   *     the checksums
   */
  void learn(S3Location location, ObjectMetadata object) {
    if (object.eTag() == null) {
      return;
    }
    ObjectMetadata checksumsOnly =
        new ObjectMetadata(
            object.contentLength(),
            object.eTag(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            object.checksums(),
            object.checksumType());
    synchronized (byObject) {
      byObject.put(location, checksumsOnly);
    }
  }

  /**
   * Returns whether anything is known of the object, of whatever version.
   *
   * @param location the object as the application named it
   * @return whether a HeadObject would tell nothing new, unless the object changed
   */
  boolean knows(S3Location location) {
    synchronized (byObject) {
      return byObject.containsKey(location);
    }
  }

  /**
   * Returns what S3 said of the object's checksums when its entity-tag was this one; forgets what
   * it knew of another version.
   *
   * @param location the object as the application named it
   * @param eTag the entity-tag of the answer being written
   * @return metadata holding the entity-tag and the checksums (possibly none), or empty if unknown
   */
  Optional<ObjectMetadata> of(S3Location location, String eTag) {
    synchronized (byObject) {
      ObjectMetadata known = byObject.get(location);
      if (known == null) {
        return Optional.empty();
      }
      if (!known.eTag().equals(eTag)) {
        byObject.remove(location);
        return Optional.empty();
      }
      return Optional.of(known);
    }
  }
}
