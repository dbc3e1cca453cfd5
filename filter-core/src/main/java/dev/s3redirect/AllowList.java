package dev.s3redirect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The buckets and key prefixes the filter may serve; everything else is refused before any request
 * reaches S3.
 *
 * <p>An entry is a bucket name ({@code media}: every key of the bucket) or a bucket and a key
 * prefix ({@code media/public/}: keys that start with {@code public/}). Prefixes match as S3
 * prefixes do, character by character: {@code media/public} also admits {@code public-old/x}, so
 * end a folder prefix with {@code /}. An empty allow-list admits nothing.
 *
 * @param entries the entries, in the order given
 */
public record AllowList(List<Entry> entries) {

  /**
   * Copies the entries.
   *
   * @param entries the entries
   */
  public AllowList {
    entries = List.copyOf(entries);
  }

  /**
   * Parses entries of the form {@code bucket} or {@code bucket/prefix}.
   *
   * @param entries the textual entries
   * @return the allow-list
   * @throws IllegalArgumentException naming the first malformed entry
   */
  public static AllowList of(Collection<String> entries) {
    List<Entry> parsed = new ArrayList<>(entries.size());
    for (String entry : entries) {
      parsed.add(Entry.parse(entry));
    }
    return new AllowList(parsed);
  }

  /**
   * Parses entries of the form {@code bucket} or {@code bucket/prefix}.
   *
   * @param entries the textual entries
   * @return the allow-list
   * @throws IllegalArgumentException naming the first malformed entry
   */
  public static AllowList of(String... entries) {
    return of(List.of(entries));
  }

  /**
   * Returns whether the location is inside one of the entries.
   *
   * @param location an object location
   * @return {@code true} if some entry admits it
   */
  public boolean permits(S3Location location) {
    for (Entry entry : entries) {
      if (entry.permits(location)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether nothing is admitted.
   *
   * @return {@code true} if there are no entries
   */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * One allow-list entry: a bucket and a key prefix, empty for the whole bucket.
   *
   * @param bucket the bucket name
   * @param keyPrefix the key prefix, possibly empty
   */
  public record Entry(String bucket, String keyPrefix) {

    /**
     * Validates the parts.
     *
     * @param bucket the bucket name
     * @param keyPrefix the key prefix, possibly empty
     * @throws IllegalArgumentException if the bucket name is invalid or the prefix contains a
     *     control character
     */
    public Entry {
      if (!S3Location.isValidBucketName(bucket)) {
        throw new IllegalArgumentException("'" + bucket + "' is not a valid bucket name");
      }
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
        throw new IllegalArgumentException("a key prefix contains a control character");
      }
    }

    /**
     * Parses {@code bucket} or {@code bucket/prefix}.
     *
     * @param entry the textual entry
     * @return the entry
     * @throws IllegalArgumentException if the entry is malformed
     */
    public static Entry parse(String entry) {
      Objects.requireNonNull(entry, "entry");
      String trimmed = entry.strip();
      if (trimmed.regionMatches(true, 0, "s3://", 0, 5)) {
        trimmed = trimmed.substring(5);
      }
      int slash = trimmed.indexOf('/');
      String bucket = slash < 0 ? trimmed : trimmed.substring(0, slash);
      String prefix = slash < 0 ? "" : trimmed.substring(slash + 1);
      if (!S3Location.isValidBucketName(bucket)) {
        throw new IllegalArgumentException(
            "allow-list entry '" + entry + "' must be <bucket> or <bucket>/<key-prefix>");
      }
      return new Entry(bucket, prefix);
    }

    /**
     * Returns whether this entry admits the location.
     *
     * @param location an object location
     * @return {@code true} if the bucket matches and the key starts with the prefix
     */
    public boolean permits(S3Location location) {
      return bucket.equals(location.bucket()) && location.key().startsWith(keyPrefix);
    }

    @Override
    public String toString() {
      return keyPrefix.isEmpty() ? bucket : bucket + "/" + keyPrefix;
    }
  }
}
