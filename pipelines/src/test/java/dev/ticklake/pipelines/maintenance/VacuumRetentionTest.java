package dev.ticklake.pipelines.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VacuumRetentionTest {

  @Test
  void readsUnitsAndIso8601() {
    assertThat(VacuumTablesJob.parseRetention("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(VacuumTablesJob.parseRetention(" 36H ")).isEqualTo(Duration.ofHours(36));
    assertThat(VacuumTablesJob.parseRetention("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(VacuumTablesJob.parseRetention("0s")).isEqualTo(Duration.ZERO);
    assertThat(VacuumTablesJob.parseRetention("P7D")).isEqualTo(Duration.ofDays(7));
    assertThat(VacuumTablesJob.parseRetention("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(VacuumTablesJob.parseRetention(VacuumTablesJob.DEFAULT_RETENTION_TEXT))
        .isEqualTo(VacuumTablesJob.DEFAULT_RETENTION);
    assertThat(VacuumTablesJob.parseRetention(VacuumTablesJob.RETENTION_FLOOR_TEXT))
        .isEqualTo(VacuumTablesJob.RETENTION_FLOOR);
  }

  @Test
  void rejectsWhatIsNotANonNegativeDuration() {
    for (String bad :
        new String[] {"", "7", "d", "7 days", "-1d", "PT-1H", "99999999999999999999d"}) {
      assertThatThrownBy(() -> VacuumTablesJob.parseRetention(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "--retention='"
                  + bad
                  + "' is not a duration: use a number with a unit d, h, m or s (7d, 36h) or"
                  + " ISO-8601 (P7D)");
    }
  }
}
