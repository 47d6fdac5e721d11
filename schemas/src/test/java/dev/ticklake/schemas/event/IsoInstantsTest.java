package dev.ticklake.schemas.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written fast path must agree with {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}. */
class IsoInstantsTest {

  private static Instant reference(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return null;
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-20T14:30:00Z",
        "2026-11-20T14:30:00.1Z",
        "2026-11-20T14:30:00.123456789Z",
        "2026-11-20T16:30:00+02:00",
        "2026-11-20T09:30:00.5-05:00",
        "2026-11-20T14:30:00-00:00",
        "2026-01-01T00:00:00+18:00",
        "2024-02-29T23:59:59.999999999-18:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
      })
  void fastPathAcceptsTheCommonShapeWithTheSameResult(String text) {
    assertThat(IsoInstants.parseFastOrNull(text)).isNotNull().isEqualTo(reference(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-13-01",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2026-11-20T24:00:00Z",
        "2026-11-20T14:60:00Z",
        "2026-11-20T14:30:60Z",
        "2026-11-20T14:30:00",
        "2026-11-20T14:30:00.1234567890Z",
        "2026-11-20T14:30:00+19:00",
        "2026-11-20T14:30:00+02:60",
        "2026-11-20T14:30:00+0200",
        "2026-11-20 14:30:00Z",
        "1795185000123",
        "",
      })
  void rejectsWhatTheFormatterRejects(String text) {
    assertThat(reference(text)).isNull();
    assertThat(IsoInstants.parseFastOrNull(text)).isNull();
    assertThat(IsoInstants.parseOrNull(text)).isNull();
  }

  @Test
  void agreesWithTheFormatterOnRandomNearMisses() {
    Random random = new Random(42);
    String alphabet = "0123456789-:T.Z+ ";
    String seed = "2026-11-20T14:30:00.123+02:00";
    for (int i = 0; i < 30_000; i++) {
      char[] chars = seed.toCharArray();
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String text = new String(chars, 0, 19 + random.nextInt(chars.length - 18));

      Instant fast = IsoInstants.parseFastOrNull(text);
      if (fast != null) {
        assertThat(fast).as(text).isEqualTo(reference(text));
      }
      assertThat(IsoInstants.parseOrNull(text)).as(text).isEqualTo(reference(text));
    }
  }
}
