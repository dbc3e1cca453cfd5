package dev.s3redirect;

import java.nio.charset.StandardCharsets;

/**
 * Builds {@code Content-Disposition} header values that carry a file name (RFC 6266, RFC 8187).
 *
 * <p>Every value carries both parameters: {@code filename="…"}, an ASCII fallback for recipients
 * that do not understand RFC 8187, and {@code filename*=UTF-8''…}, the exact name, which RFC 6266
 * §4.3 tells recipients to prefer. Before encoding, the name is made safe for both forms:
 *
 * <ul>
 *   <li>The path separators {@code /} and {@code \} become {@code _} in both forms, so the name can
 *       never name a directory (RFC 6266 §4.3 asks recipients to strip path information; this does
 *       it for them, the same way on every client).
 *   <li>Control characters (U+0000–U+001F, U+007F, U+0080–U+009F, so CR and LF too) and unpaired
 *       surrogates become {@code _} in both forms, so the value cannot split the header.
 *   <li>In the fallback only, every other non-ASCII code point becomes one {@code _} (no
 *       transliteration), and {@code "} is escaped as {@code \"} inside the quoted string.
 *   <li>In {@code filename*}, every UTF-8 byte outside RFC 8187 {@code attr-char} is
 *       percent-encoded with uppercase hexadecimal digits.
 * </ul>
 *
 * <p>Names are never truncated.
 */
public final class ContentDisposition {

  private static final char REPLACEMENT = '_';
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ContentDisposition() {}

  /**
   * Returns an {@code attachment} disposition for {@code filename}: {@code attachment;
   * filename="…"; filename*=UTF-8''…}.
   *
   * @param filename the file name the recipient should save as
   * @return the header value
   * @throws IllegalArgumentException if {@code filename} is {@code null} or blank
   */
  public static String attachment(String filename) {
    return build("attachment", filename);
  }

  /**
   * Returns an {@code inline} disposition for {@code filename}: {@code inline; filename="…";
   * filename*=UTF-8''…}.
   *
   * @param filename the file name the recipient should use if it saves the content
   * @return the header value
   * @throws IllegalArgumentException if {@code filename} is {@code null} or blank
   */
  public static String inline(String filename) {
    return build("inline", filename);
  }

  private static String build(String type, String filename) {
    if (filename == null || filename.isBlank()) {
      throw new IllegalArgumentException("filename must not be null or blank");
    }
    String name = sanitize(filename);
    return type + "; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + extValue(name);
  }

  /** Replaces path separators, control characters and unpaired surrogates with {@code _}. */
  private static String sanitize(String filename) {
    StringBuilder out = new StringBuilder(filename.length());
    filename
        .codePoints()
        .forEach(
            cp -> {
              if (cp == '/'
                  || cp == '\\'
                  || Character.isISOControl(cp)
                  || Character.getType(cp) == Character.SURROGATE) {
                out.append(REPLACEMENT);
              } else {
                out.appendCodePoint(cp);
              }
            });
    return out.toString();
  }

  /**
   * Returns the content of the {@code filename} quoted-string (RFC 9110 §5.6.4): each non-ASCII
   * code point becomes {@code _}; {@code "} and {@code \} are backslash-escaped.
   */
  private static String asciiFallback(String name) {
    StringBuilder out = new StringBuilder(name.length());
    name.codePoints()
        .forEach(
            cp -> {
              if (cp > 0x7E) {
                out.append(REPLACEMENT);
              } else {
                if (cp == '"' || cp == '\\') {
                  out.append('\\');
                }
                out.append((char) cp);
              }
            });
    return out.toString();
  }

  /** Returns the RFC 8187 §3.2.1 {@code value-chars} of {@code name} encoded as UTF-8. */
  private static String extValue(String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(utf8.length * 3);
    for (byte b : utf8) {
      int octet = b & 0xFF;
      if (isAttrChar(octet)) {
        out.append((char) octet);
      } else {
        out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
      }
    }
    return out.toString();
  }

  /**
   * {@code attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" /
   * "|" / "~"}.
   */
  private static boolean isAttrChar(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || "!#$&+-.^_`|~".indexOf(c) >= 0;
  }
}
