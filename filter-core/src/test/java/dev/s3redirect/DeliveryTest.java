package dev.s3redirect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.s3redirect.RedirectPolicy.Rule;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryTest {

  private static final UrlSigner SIGNER =
      (location, lifetime, overrides) -> Optional.of(URI.create("https://example.com/x"));

  private static RedirectPolicy policy(String rule, boolean onlyWithoutRange) {
    return RedirectPolicy.builder(SIGNER)
        .rule(Rule.valueOf(rule))
        .minimumSize(1000)
        .onlyWithoutRange(onlyWithoutRange)
        .build();
  }

  @ParameterizedTest(name = "{0} rule={1} method={2} range={3} asked={4} key={5} size={6}")
  @CsvSource(
      nullValues = "null",
      value = {
        // why | rule | only without range | method | range | asked | customer key | size | result
        "no policy, whatever is asked | null | false | GET | false | REDIRECT | false | null | STREAM",
        "on request, nothing asked | ON_REQUEST | false | GET | false | NOTHING | false | null | STREAM",
        "on request, asked | ON_REQUEST | false | GET | false | REDIRECT | false | null | REDIRECT",
        "asked, ranged: the application decides | ON_REQUEST | true | GET | true | REDIRECT | false"
            + " | null | REDIRECT",
        "asked for HEAD: a GET URL cannot answer it | ALWAYS | false | HEAD | false | REDIRECT"
            + " | false | null | STREAM",
        "POST | ALWAYS | false | POST | false | NOTHING | false | null | STREAM",
        "SSE-C, asked | ALWAYS | false | GET | false | REDIRECT | true | null | STREAM",
        "SSE-C, by rule | ALWAYS | false | GET | false | NOTHING | true | 5000 | STREAM",
        "always | ALWAYS | false | GET | false | NOTHING | false | null | REDIRECT",
        "always, ranged | ALWAYS | false | GET | true | NOTHING | false | null | REDIRECT",
        "always but not ranges, ranged | ALWAYS | true | GET | true | NOTHING | false | null | STREAM",
        "always but not ranges, whole | ALWAYS | true | GET | false | NOTHING | false | null"
            + " | REDIRECT",
        "always, stream asked | ALWAYS | false | GET | false | STREAM | false | null | STREAM",
        "always, invalid asked: the rule | ALWAYS | false | GET | false | INVALID | false | null"
            + " | REDIRECT",
        "above size, unknown | ABOVE_SIZE | false | GET | false | NOTHING | false | null"
            + " | NEEDS_SIZE",
        "above size, smaller | ABOVE_SIZE | false | GET | false | NOTHING | false | 999 | STREAM",
        "above size, exactly | ABOVE_SIZE | false | GET | false | NOTHING | false | 1000 | REDIRECT",
        "above size, ranged but not ranges | ABOVE_SIZE | true | GET | true | NOTHING | false"
            + " | null | STREAM",
        "above size, asked: no HEAD needed | ABOVE_SIZE | false | GET | false | REDIRECT | false"
            + " | null | REDIRECT",
      },
      delimiter = '|')
  void decides(
      String why,
      String rule,
      boolean onlyWithoutRange,
      String method,
      boolean range,
      Delivery.Asked asked,
      boolean customerKey,
      Long size,
      Delivery expected) {
    RedirectPolicy policy = rule == null ? null : policy(rule, onlyWithoutRange);
    OptionalLong known = size == null ? OptionalLong.empty() : OptionalLong.of(size);

    assertThat(Delivery.decide(policy, method, range, asked, customerKey, known))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      nullValues = "null",
      value = {
        "null, NOTHING",
        "redirect, REDIRECT",
        "' Redirect ', REDIRECT",
        "STREAM, STREAM",
        "'', INVALID",
        "yes, INVALID",
        "redirect;stream, INVALID",
      })
  void readsTheDeliveryHeader(String value, Delivery.Asked expected) {
    assertThat(Delivery.Asked.of(value)).isEqualTo(expected);
  }

  @Test
  void thePolicyRefusesWhatCannotWork() {
    RedirectPolicy.Builder builder = RedirectPolicy.builder(SIGNER);
    assertThatIllegalArgumentException().isThrownBy(() -> builder.status(301));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.minimumSize(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.lifetime(Duration.ofMillis(999)));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.lifetime(Duration.ofDays(7).plusSeconds(1)));
    RedirectPolicy defaults = builder.build();
    assertThat(defaults.rule()).isEqualTo(Rule.ON_REQUEST);
    assertThat(defaults.lifetime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(defaults.status()).isEqualTo(302);
  }
}
