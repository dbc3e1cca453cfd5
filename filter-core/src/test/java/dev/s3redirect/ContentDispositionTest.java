package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("C23: Content-Disposition with a file name (RFC 6266, RFC 8187)")
class ContentDispositionTest {

  /** The whole header value: a quoted-string fallback and an RFC 8187 ext-value, nothing else. */
  private static final Pattern GRAMMAR =
      Pattern.compile(
          "(attachment|inline); filename=\"((?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\"\\\\])*)\";"
              + " filename\\*=UTF-8''((?:[A-Za-z0-9!#$&+\\-.^_`|~]|%[0-9A-F]{2})*)");

  @Test
  @DisplayName("C23: a plain ASCII name is sent as both parameters")
  void plainAsciiName() {
    assertThat(ContentDisposition.attachment("report.pdf"))
        .isEqualTo("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    assertThat(ContentDisposition.inline("report.pdf"))
        .isEqualTo("inline; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  }

  @ParameterizedTest(name = "C23: ''{0}'' -> filename=\"{1}\"; filename*=UTF-8''''{2}")
  @CsvSource({
    "report.pdf,                 report.pdf,                 report.pdf",
    "'annual report 2024.pdf',   'annual report 2024.pdf',   annual%20report%202024.pdf",
    "'say \"hi\".txt',           'say \\\"hi\\\".txt',       say%20%22hi%22.txt",
    "'a\\b.txt',                 a_b.txt,                    a_b.txt",
    "'../../etc/passwd',         .._.._etc_passwd,           .._.._etc_passwd",
    "'C:\\Users\\x\\evil.exe',   C:_Users_x_evil.exe,        C%3A_Users_x_evil.exe",
    "'résumé.pdf',               r_sum_.pdf,                 r%C3%A9sum%C3%A9.pdf",
    "'報告書.pdf',                ___.pdf,                    %E5%A0%B1%E5%91%8A%E6%9B%B8.pdf",
    "'\uD83D\uDCC4 notes.txt',   '_ notes.txt',              %F0%9F%93%84%20notes.txt",
    "'a\r\nSet-Cookie: x=y.txt', 'a__Set-Cookie: x=y.txt',   a__Set-Cookie%3A%20x%3Dy.txt",
    "'tab\there.txt',            tab_here.txt,               tab_here.txt",
    "'nul\u0000del\u007F.txt',   nul_del_.txt,               nul_del_.txt",
    "'next\u0085line.txt',       next_line.txt,              next_line.txt",
    "'lone\uD800surrogate.txt',  lone_surrogate.txt,         lone_surrogate.txt",
    "'100%.txt',                 100%.txt,                   100%25.txt",
    "'a;b,c.txt',                'a;b,c.txt',                a%3Bb%2Cc.txt",
    "'O''Brien.txt',             'O''Brien.txt',             O%27Brien.txt",
    "'!#$&+-.^_`|~',             '!#$&+-.^_`|~',             '!#$&+-.^_`|~'",
    "'(x)<y>@z[1]{2}?=*',        '(x)<y>@z[1]{2}?=*',        %28x%29%3Cy%3E%40z%5B1%5D%7B2%7D%3F%3D%2A",
  })
  void encodesBothParameters(String filename, String fallback, String extValue) {
    String expected = "; filename=\"" + fallback + "\"; filename*=UTF-8''" + extValue;

    assertThat(ContentDisposition.attachment(filename)).isEqualTo("attachment" + expected);
    assertThat(ContentDisposition.inline(filename)).isEqualTo("inline" + expected);
  }

  @ParameterizedTest(name = "C23: ''{0}'' yields one well-formed header value")
  @ValueSource(
      strings = {
        "report.pdf",
        "say \"hi\".txt",
        "a\\b\\\"c\".txt",
        "a\r\nSet-Cookie: x=y.txt",
        "a\rb\nc\u0000d\u007Fe\u2028f.txt",
        "\r\n\r\nx",
        "résumé.pdf",
        "\uD83D\uDCC4\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67.txt",
        "\uDC00\uD800",
      })
  void neverSplitsTheHeader(String filename) {
    String value = ContentDisposition.attachment(filename);

    assertThat(value).doesNotContain("\r", "\n").matches(GRAMMAR);
    assertThat(value.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
  }

  @ParameterizedTest(name = "C23: filename* of ''{0}'' decodes back to ''{1}''")
  @CsvSource({
    "report.pdf,                      report.pdf",
    "'annual report 2024.pdf',        'annual report 2024.pdf'",
    "'say \"hi\".txt',                'say \"hi\".txt'",
    "'résumé.pdf',                    'résumé.pdf'",
    "'日本語 ファイル.txt',             '日本語 ファイル.txt'",
    "'\uD83D\uDCC4\uD83D\uDC4D.txt',  '\uD83D\uDCC4\uD83D\uDC4D.txt'",
    "'100% done; really, yes.txt',    '100% done; really, yes.txt'",
    "'+plus+ and ~tilde~',            '+plus+ and ~tilde~'",
    "'dir/sub\\file.txt',             dir_sub_file.txt",
  })
  void filenameStarRoundTrips(String filename, String expected) {
    Matcher m = GRAMMAR.matcher(ContentDisposition.attachment(filename));

    assertThat(m.matches()).isTrue();
    assertThat(percentDecodeUtf8(m.group(3))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "C23: ''{0}'' is a programming error")
  @NullSource
  @ValueSource(strings = {"", " ", "\t", " \r\n "})
  void rejectsNullAndBlankNames(String filename) {
    assertThatThrownBy(() -> ContentDisposition.attachment(filename))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContentDisposition.inline(filename))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Decodes RFC 8187 value-chars; unlike URLDecoder, a {@code +} stays a plus sign. */
  private static String percentDecodeUtf8(String value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
