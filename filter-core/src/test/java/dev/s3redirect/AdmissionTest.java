package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.s3redirect.S3RedirectEvent.Outcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the filter does with an application's finished response, before S3 is asked. */
class AdmissionTest {

  static final S3RedirectSettings SETTINGS =
      S3RedirectSettings.builder().allow("media/public/").build();

  @ParameterizedTest(name = "header ''{0}'', ambiguous {1}, status {2}, committed {3}: {4}")
  @DisplayName("the header contract, in order: present, 2xx, in time, well formed, allowed")
  @CsvSource(
      delimiter = '|',
      value = {
        "|false|200|false|pass",
        "|false|200|true|pass",
        "s3://media/public/a.txt|false|200|false|serve",
        "s3://media/public/a.txt|false|204|false|serve",
        "media/public/a.txt|false|299|false|serve",
        "s3://media/public/a.txt|false|199|false|ignore",
        "s3://media/public/a.txt|false|302|false|ignore",
        "s3://media/public/a.txt|false|404|false|ignore",
        "s3://media/public/a.txt|false|500|true|ignore",
        "s3://media/public/a.txt|false|200|true|HEADER_TOO_LATE",
        "not a location|false|200|true|HEADER_TOO_LATE",
        "https://media/public/a.txt|false|200|false|INVALID_HEADER 500",
        "s3://media/public/a%ZZ|false|200|false|INVALID_HEADER 500",
        "s3://media/public/a.txt|true|200|false|INVALID_HEADER 500",
        "s3://media/private/a.txt|false|200|false|REFUSED 403",
        "s3://other/public/a.txt|false|200|false|REFUSED 403",
      })
  void decides(String value, boolean ambiguous, int status, boolean committed, String expected) {
    Admission admission = Admission.decide(SETTINGS, value, ambiguous, status, committed);
    switch (expected) {
      case "pass" -> assertThat(admission).isEqualTo(new Admission.PassThrough());
      case "serve" -> assertThat(admission).isEqualTo(new Admission.Serve(S3Location.parse(value)));
      case "ignore" -> assertThat(admission).isEqualTo(new Admission.Ignored(status));
      case "HEADER_TOO_LATE" -> {
        Answer answer = ((Admission.Refuse) admission).answer();
        assertThat(((Answer.CutShort) answer).outcome()).isEqualTo(Outcome.HEADER_TOO_LATE);
      }
      default -> {
        var refuse = (Admission.Refuse) admission;
        var answer = (Answer.ErrorResponse) refuse.answer();
        String[] outcomeAndStatus = expected.split(" ");
        assertThat(answer.outcome()).isEqualTo(Outcome.valueOf(outcomeAndStatus[0]));
        assertThat(answer.status()).isEqualTo(Integer.parseInt(outcomeAndStatus[1]));
        assertThat(refuse.location() == null).isEqualTo(answer.outcome() == Outcome.INVALID_HEADER);
      }
    }
  }
}
