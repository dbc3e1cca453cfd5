package dev.s3redirect.internal.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;

/**
 * RFC 9530 digest fields ({@code Repr-Digest}, {@code Content-Digest}) built from the checksums S3
 * stores for an object, which it returns on GetObject and HeadObject when asked with {@code
 * x-amz-checksum-mode: ENABLED}: headers {@code x-amz-checksum-<algorithm>: <base64>} and {@code
 * x-amz-checksum-type: FULL_OBJECT|COMPOSITE}. Pure: nothing here does I/O.
 *
 * <p>The rules:
 *
 * <ol>
 *   <li>Only algorithms in the IANA "Hash Algorithms for HTTP Digest Fields" registry are sent,
 *       under its keys: S3's {@code sha256} as {@code sha-256} (32 bytes, active), {@code sha512}
 *       as {@code sha-512} (64 bytes, active), {@code crc32c} as {@code crc32c} (4 bytes,
 *       deprecated), {@code sha1} as {@code sha} (20 bytes, deprecated) and {@code md5} as {@code
 *       md5} (16 bytes, deprecated). S3's {@code crc32}, {@code crc64nvme} and {@code xxhash*} have
 *       no registered key and are never sent.
 *   <li>A {@code COMPOSITE} checksum is a checksum of the part checksums of a multipart upload, not
 *       a digest of the representation, so a checksum type of {@code COMPOSITE} (any case) yields
 *       no field at all, and a single value in S3's composite form ({@code <base64>-<parts>}) is
 *       skipped whatever the type says. A value must be strict standard base64 (RFC 4648 §4
 *       alphabet, padded to a multiple of four, no whitespace except SP/HTAB around it) and decode
 *       to exactly the algorithm's length, else it is skipped. Non-zero pad bits are tolerated: the
 *       bytes are re-encoded canonically for the field.
 *   <li>Without a usable preference (the {@code Want-*} field absent, empty, or not a valid RFC
 *       9651 Dictionary) every available <em>active</em> algorithm is sent, {@code sha-256} then
 *       {@code sha-512}. Deprecated algorithms are sent only when asked for.
 *   <li>With a preference, only members whose value is an Integer from 0 to 10 count (RFC 9530 §4);
 *       other members and all parameters are ignored, and weight 0 means "not acceptable". Of the
 *       available algorithms the client weighted above 0, exactly one is sent: the highest weight,
 *       ties going to the first of {@code sha-512}, {@code sha-256}, {@code crc32c}, {@code sha},
 *       {@code md5}. If the client wants none of the available ones, nothing is sent: a digest the
 *       client did not ask for is of no use to it.
 *   <li>The preference field is parsed as a real RFC 9651 Dictionary (§4.2.2): every bare item
 *       type, parameters and inner lists parse (inner-list members are then ignored, as they are
 *       not Integers), duplicate keys keep the last value, and field lines are combined as if
 *       joined with {@code ", "}. A field whose combination is not a valid Dictionary is treated as
 *       absent.
 *   <li>The result is an RFC 9651 Dictionary of Byte Sequences, members joined by {@code ", "},
 *       e.g. {@code sha-256=:uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=:}.
 * </ol>
 *
 * <p>S3's checksum covers the whole stored object, so the value is always right for {@code
 * Repr-Digest}, including on a 206 (RFC 9530 §3). It is right for {@code Content-Digest} only when
 * the message content is that whole representation unchanged; choosing the field is the caller's
 * job.
 */
public final class ReprDigests {

  private static final int MAX_WEIGHT = 10;

  private ReprDigests() {}

  /**
   * A client's digest preferences (RFC 9530 §4): either none sent, or registry key to weight 0..10.
   * A preference that was sent but holds nothing usable is still a preference: the client gets only
   * what it asked for, which may be nothing.
   */
  public static final class Want {

    /** No preference field, or one that could not be used: the server picks (rule 3). */
    public static final Want NONE_SENT = new Want(null);

    /** {@code null} when none was sent, so "sent but empty" stays distinguishable. */
    private final Map<String, Integer> weights;

    private Want(Map<String, Integer> weights) {
      this.weights = weights;
    }

    /**
     * A preference that was sent, with these weights.
     *
     * @param weights algorithm key to weight; keys are RFC 9651 keys, weights 0 to 10
     * @return the preference
     * @throws IllegalArgumentException if a key is not a valid key or a weight is out of range
     */
    public static Want of(Map<String, Integer> weights) {
      Map<String, Integer> copy = new LinkedHashMap<>();
      weights.forEach(
          (key, weight) -> {
            if (key == null || !DictionaryParser.isKey(key)) {
              throw new IllegalArgumentException("not a structured field key: " + key);
            }
            if (weight == null || weight < 0 || weight > MAX_WEIGHT) {
              throw new IllegalArgumentException("weight out of range 0..10: " + weight);
            }
            copy.put(key, weight);
          });
      return new Want(Collections.unmodifiableMap(copy));
    }

    /**
     * Whether the client sent a usable preference.
     *
     * @return {@code false} for {@link #NONE_SENT}
     */
    public boolean isSent() {
      return weights != null;
    }

    /**
     * Returns whether a digest could be sent: the field is absent, or gives some algorithm a weight
     * above 0.
     *
     * @return {@code false} only when the client refused every algorithm it named
     */
    public boolean acceptsAny() {
      return weights == null || weights.values().stream().anyMatch(weight -> weight > 0);
    }

    /**
     * The client's weights, including weight 0 for "not acceptable".
     *
     * @return algorithm key to weight; empty if none was sent or none was usable
     */
    public Map<String, Integer> weights() {
      return weights == null ? Map.of() : weights;
    }

    /**
     * Two preferences are equal if both were not sent, or both were sent with equal weights.
     *
     * @param other the object to compare with
     * @return whether they are equal
     */
    @Override
    public boolean equals(Object other) {
      return other instanceof Want want && Objects.equals(weights, want.weights);
    }

    /**
     * Consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
      return Objects.hashCode(weights);
    }

    /**
     * For logs and test failures.
     *
     * @return the weights, or a note that none was sent
     */
    @Override
    public String toString() {
      return weights == null ? "Want[none sent]" : "Want" + weights;
    }
  }

  /**
   * Parses a {@code Want-Repr-Digest} or {@code Want-Content-Digest} field (RFC 9530 §4). Never
   * throws on bad client input.
   *
   * @param fieldLines the request's field lines of that field, in order; empty when it is absent. A
   *     {@code null} line counts as an empty one.
   * @return {@link Want#NONE_SENT} if the field is absent, an empty Dictionary, or not a valid RFC
   *     9651 Dictionary; otherwise the members whose value is an Integer from 0 to 10
   */
  public static Want parseWant(List<String> fieldLines) {
    if (fieldLines.isEmpty()) {
      return Want.NONE_SENT;
    }
    // RFC 9651 §4.2: field lines are combined into one comma-separated value before parsing. Each
    // line is trimmed of OWS first because HTTP field values exclude it (RFC 9110 §5.5).
    StringJoiner combined = new StringJoiner(", ");
    for (String line : fieldLines) {
      combined.add(line == null ? "" : Ows.trim(line));
    }
    Optional<Map<String, OptionalLong>> dictionary = DictionaryParser.parse(combined.toString());
    // RFC 9651 §3.2: an empty Dictionary is the same as the field not being sent.
    if (dictionary.isEmpty() || dictionary.get().isEmpty()) {
      return Want.NONE_SENT;
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    dictionary
        .get()
        .forEach(
            (key, value) -> {
              if (value.isPresent() && value.getAsLong() >= 0 && value.getAsLong() <= MAX_WEIGHT) {
                weights.put(key, (int) value.getAsLong());
              }
            });
    return new Want(Collections.unmodifiableMap(weights));
  }

  /**
   * The digest field value for an object, as the class documentation's rules say.
   *
   * @param s3Checksums S3's checksums, keyed by the algorithm suffix of {@code
   *     x-amz-checksum-<algorithm>} (any case), valued as S3 sent them; bad entries are skipped
   * @param checksumType the {@code x-amz-checksum-type} S3 sent, or {@code null} if none
   * @param want the client's preference, from {@link #parseWant(List)}
   * @return the field value, or empty when no field should be sent
   */
  public static Optional<String> fieldValue(
      Map<String, String> s3Checksums, String checksumType, Want want) {
    Objects.requireNonNull(s3Checksums, "s3Checksums");
    Objects.requireNonNull(want, "want");
    if (checksumType != null && Ows.trim(checksumType).equalsIgnoreCase("COMPOSITE")) {
      return Optional.empty();
    }
    Map<Algorithm, byte[]> available = available(s3Checksums);
    List<Algorithm> chosen = new ArrayList<>();
    if (!want.isSent()) {
      for (Algorithm algorithm : Algorithm.DEFAULTS) {
        if (available.containsKey(algorithm)) {
          chosen.add(algorithm);
        }
      }
    } else {
      Algorithm best = null;
      int bestWeight = 0;
      // Enum order is the tie-break order, so only a strictly higher weight displaces the best.
      for (Algorithm algorithm : available.keySet()) {
        Integer weight = want.weights().get(algorithm.key);
        if (weight != null && weight > bestWeight) {
          best = algorithm;
          bestWeight = weight;
        }
      }
      if (best != null) {
        chosen.add(best);
      }
    }
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    StringJoiner field = new StringJoiner(", ");
    for (Algorithm algorithm : chosen) {
      field.add(
          algorithm.key
              + "=:"
              + Base64.getEncoder().encodeToString(available.get(algorithm))
              + ":");
    }
    return Optional.of(field.toString());
  }

  /** The registered algorithms with a usable value, in tie-break order. */
  private static Map<Algorithm, byte[]> available(Map<String, String> s3Checksums) {
    Map<Algorithm, byte[]> available = new EnumMap<>(Algorithm.class);
    Set<Algorithm> conflicting = EnumSet.noneOf(Algorithm.class);
    s3Checksums.forEach(
        (name, value) -> {
          Optional<Algorithm> algorithm = Algorithm.forS3Name(name);
          if (algorithm.isEmpty() || value == null) {
            return;
          }
          Optional<byte[]> digest = decode(value, algorithm.get().length);
          if (digest.isEmpty()) {
            return;
          }
          byte[] earlier = available.putIfAbsent(algorithm.get(), digest.get());
          // Keys differing only in case that disagree leave no way to know which is the object's.
          if (earlier != null && !Arrays.equals(earlier, digest.get())) {
            conflicting.add(algorithm.get());
          }
        });
    available.keySet().removeAll(conflicting);
    return available;
  }

  private static Optional<byte[]> decode(String value, int length) {
    String text = Ows.trim(value);
    if (hasCompositeSuffix(text) || !isStrictBase64(text)) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return bytes.length == length ? Optional.of(bytes) : Optional.empty();
  }

  /** S3 writes a composite checksum as the checksum of the part checksums, then {@code -parts}. */
  private static boolean hasCompositeSuffix(String text) {
    int i = text.length();
    while (i > 0 && text.charAt(i - 1) >= '0' && text.charAt(i - 1) <= '9') {
      i--;
    }
    return i < text.length() && i > 0 && text.charAt(i - 1) == '-';
  }

  /**
   * Java's decoder also takes unpadded input, so padding and alphabet are checked here: RFC 4648 §4
   * characters, a multiple of four, and {@code =} only as the last one or two.
   */
  private static boolean isStrictBase64(String text) {
    if (text.isEmpty() || text.length() % 4 != 0) {
      return false;
    }
    int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
    for (int i = 0; i < text.length() - padding; i++) {
      if (!isBase64Alphabet(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBase64Alphabet(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/';
  }

  /** Declared in tie-break order (rule 4). */
  private enum Algorithm {
    SHA_512("sha512", "sha-512", 64),
    SHA_256("sha256", "sha-256", 32),
    CRC32C("crc32c", "crc32c", 4),
    SHA("sha1", "sha", 20),
    MD5("md5", "md5", 16);

    /** The active algorithms in the order sent without a preference (rule 3). */
    static final List<Algorithm> DEFAULTS = List.of(SHA_256, SHA_512);

    final String s3Name;
    final String key;
    final int length;

    Algorithm(String s3Name, String key, int length) {
      this.s3Name = s3Name;
      this.key = key;
      this.length = length;
    }

    static Optional<Algorithm> forS3Name(String name) {
      if (name == null) {
        return Optional.empty();
      }
      String lower = name.toLowerCase(Locale.ROOT);
      for (Algorithm algorithm : values()) {
        if (algorithm.s3Name.equals(lower)) {
          return Optional.of(algorithm);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * RFC 9651 §4.2 parsing of a Dictionary. Only Integer values matter here, so a member's value is
   * kept as its Integer, or as empty for every other type; the rest is parsed only so that a valid
   * field is recognised as valid and an invalid one as invalid.
   */
  private static final class DictionaryParser {

    private final String input;
    private int pos;

    private DictionaryParser(String input) {
      this.input = input;
    }

    static Optional<Map<String, OptionalLong>> parse(String input) {
      for (int i = 0; i < input.length(); i++) {
        if (input.charAt(i) > 0x7F) {
          return Optional.empty(); // RFC 9651 §4.2: the field must be ASCII
        }
      }
      DictionaryParser parser = new DictionaryParser(input);
      try {
        parser.skipSp();
        Map<String, OptionalLong> dictionary = parser.dictionary();
        parser.skipSp();
        return parser.atEnd() ? Optional.of(dictionary) : Optional.empty();
      } catch (Unparseable e) {
        return Optional.empty();
      }
    }

    static boolean isKey(String text) {
      DictionaryParser parser = new DictionaryParser(text);
      try {
        parser.key();
      } catch (Unparseable e) {
        return false;
      }
      return parser.atEnd();
    }

    /** RFC 9651 §4.2.2. */
    private Map<String, OptionalLong> dictionary() {
      Map<String, OptionalLong> members = new LinkedHashMap<>();
      while (!atEnd()) {
        String key = key();
        OptionalLong value;
        if (peek('=')) {
          pos++;
          value = itemOrInnerList();
        } else {
          parameters(); // a bare key is Boolean true, which is no weight
          value = OptionalLong.empty();
        }
        members.put(key, value); // a later duplicate overwrites the earlier one
        skipOws();
        if (atEnd()) {
          return members;
        }
        if (next() != ',') {
          throw new Unparseable();
        }
        skipOws();
        if (atEnd()) {
          throw new Unparseable(); // trailing comma
        }
      }
      return members;
    }

    private OptionalLong itemOrInnerList() {
      if (peek('(')) {
        innerList();
        return OptionalLong.empty();
      }
      OptionalLong value = bareItem();
      parameters();
      return value;
    }

    /** RFC 9651 §4.2.1.2. */
    private void innerList() {
      pos++;
      while (!atEnd()) {
        skipSp();
        if (peek(')')) {
          pos++;
          parameters();
          return;
        }
        bareItem();
        parameters();
        if (!peek(' ') && !peek(')')) {
          throw new Unparseable();
        }
      }
      throw new Unparseable();
    }

    /** RFC 9651 §4.2.3.2: parameters are parsed for validity and then dropped. */
    private void parameters() {
      while (peek(';')) {
        pos++;
        skipSp();
        key();
        if (peek('=')) {
          pos++;
          bareItem();
        }
      }
    }

    /** RFC 9651 §4.2.3.3. */
    private String key() {
      if (atEnd() || !(isLcAlpha(input.charAt(pos)) || input.charAt(pos) == '*')) {
        throw new Unparseable();
      }
      int start = pos;
      while (!atEnd() && isKeyChar(input.charAt(pos))) {
        pos++;
      }
      return input.substring(start, pos);
    }

    /** RFC 9651 §4.2.3.1: the Integer's value, or empty for any other type. */
    private OptionalLong bareItem() {
      if (atEnd()) {
        throw new Unparseable();
      }
      char c = input.charAt(pos);
      if (c == '-' || isDigit(c)) {
        return number();
      }
      switch (c) {
        case '"' -> string();
        case ':' -> byteSequence();
        case '?' -> bool();
        case '@' -> date();
        case '%' -> displayString();
        default -> {
          if (c == '*' || isAlpha(c)) {
            token();
          } else {
            throw new Unparseable();
          }
        }
      }
      return OptionalLong.empty();
    }

    /** RFC 9651 §4.2.4: an Integer's value, or empty for a Decimal. */
    private OptionalLong number() {
      boolean negative = peek('-');
      if (negative) {
        pos++;
      }
      if (atEnd() || !isDigit(input.charAt(pos))) {
        throw new Unparseable();
      }
      int start = pos;
      int dot = -1;
      while (!atEnd()) {
        char c = input.charAt(pos);
        if (isDigit(c)) {
          pos++;
        } else if (dot < 0 && c == '.') {
          if (pos - start > 12) {
            throw new Unparseable();
          }
          dot = pos++;
        } else {
          break;
        }
        if (pos - start > (dot < 0 ? 15 : 16)) {
          throw new Unparseable();
        }
      }
      if (dot >= 0) {
        int fraction = pos - dot - 1;
        if (fraction == 0 || fraction > 3) {
          throw new Unparseable();
        }
        return OptionalLong.empty();
      }
      long magnitude = Long.parseLong(input.substring(start, pos)); // at most 15 digits: fits
      return OptionalLong.of(negative ? -magnitude : magnitude);
    }

    /** RFC 9651 §4.2.5. */
    private void string() {
      pos++;
      while (!atEnd()) {
        char c = next();
        if (c == '\\') {
          if (atEnd()) {
            throw new Unparseable();
          }
          char escaped = next();
          if (escaped != '"' && escaped != '\\') {
            throw new Unparseable();
          }
        } else if (c == '"') {
          return;
        } else if (c < 0x20 || c > 0x7E) {
          throw new Unparseable();
        }
      }
      throw new Unparseable();
    }

    /** RFC 9651 §4.2.6. */
    private void token() {
      pos++;
      while (!atEnd() && (isTchar(input.charAt(pos)) || peek(':') || peek('/'))) {
        pos++;
      }
    }

    /** RFC 9651 §4.2.7. */
    private void byteSequence() {
      pos++;
      int end = input.indexOf(':', pos);
      if (end < 0) {
        throw new Unparseable();
      }
      String content = input.substring(pos, end);
      for (int i = 0; i < content.length(); i++) {
        char c = content.charAt(i);
        if (!isBase64Alphabet(c) && c != '=') {
          throw new Unparseable();
        }
      }
      try {
        // Java's decoder synthesizes missing padding, as §4.2.7 allows.
        Base64.getDecoder().decode(content);
      } catch (IllegalArgumentException e) {
        throw new Unparseable();
      }
      pos = end + 1;
    }

    /** RFC 9651 §4.2.8. */
    private void bool() {
      pos++;
      if (atEnd()) {
        throw new Unparseable();
      }
      char c = next();
      if (c != '0' && c != '1') {
        throw new Unparseable();
      }
    }

    /** RFC 9651 §4.2.9. */
    private void date() {
      pos++;
      if (number().isEmpty()) {
        throw new Unparseable(); // a Date is an Integer, never a Decimal
      }
    }

    /** RFC 9651 §4.2.10. */
    private void displayString() {
      if (!input.startsWith("%\"", pos)) {
        throw new Unparseable();
      }
      pos += 2;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (!atEnd()) {
        char c = next();
        if (c < 0x20 || c > 0x7E) {
          throw new Unparseable();
        }
        if (c == '%') {
          if (pos + 2 > input.length()
              || !isLcHex(input.charAt(pos))
              || !isLcHex(input.charAt(pos + 1))) {
            throw new Unparseable();
          }
          bytes.write(Integer.parseInt(input.substring(pos, pos + 2), 16));
          pos += 2;
        } else if (c == '"') {
          try {
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()));
          } catch (CharacterCodingException e) {
            throw new Unparseable();
          }
          return;
        } else {
          bytes.write(c);
        }
      }
      throw new Unparseable();
    }

    private boolean atEnd() {
      return pos >= input.length();
    }

    private boolean peek(char c) {
      return !atEnd() && input.charAt(pos) == c;
    }

    private char next() {
      return input.charAt(pos++);
    }

    private void skipSp() {
      while (peek(' ')) {
        pos++;
      }
    }

    private void skipOws() {
      while (!atEnd() && Ows.isOws(input.charAt(pos))) {
        pos++;
      }
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isLcAlpha(char c) {
      return c >= 'a' && c <= 'z';
    }

    private static boolean isAlpha(char c) {
      return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLcHex(char c) {
      return isDigit(c) || (c >= 'a' && c <= 'f');
    }

    private static boolean isKeyChar(char c) {
      return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
    }

    /** RFC 9110 §5.6.2. */
    private static boolean isTchar(char c) {
      return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }

  /** Unwinds the parser; carries no stack trace because bad client input is routine. */
  private static final class Unparseable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unparseable() {
      super(null, null, false, false);
    }
  }
}
