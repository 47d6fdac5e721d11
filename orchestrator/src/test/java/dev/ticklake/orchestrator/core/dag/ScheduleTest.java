package dev.ticklake.orchestrator.core.dag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void intervalIsAlignedToTheStartDate() {
    Schedule every5s = new IntervalSchedule(Duration.ofSeconds(5), "5s");

    assertThat(every5s.nextFireTime(START.minusSeconds(100), START)).contains(START);
    assertThat(every5s.nextFireTime(START, START)).contains(START.plusSeconds(5));
    assertThat(every5s.nextFireTime(START.plusMillis(4_999), START)).contains(START.plusSeconds(5));
    assertThat(every5s.nextFireTime(START.plusSeconds(12), START)).contains(START.plusSeconds(15));
    assertThat(every5s.describe()).isEqualTo("5s");
  }

  @Test
  void cronFiresAtTheStartDateIfItMatchesAndNeverBefore() {
    Schedule hourly = new CronSchedule(CronExpression.parse("@hourly"));

    assertThat(hourly.nextFireTime(Instant.parse("2025-06-01T10:30:00Z"), START)).contains(START);
    assertThat(hourly.nextFireTime(START, START)).contains(START.plusSeconds(3600));
    assertThat(hourly.describe()).isEqualTo("@hourly");
  }

  @Test
  void datasetAndManualSchedulesNeverFireFromTheClock() {
    assertThat(new DatasetSchedule(List.of("silver/ticks")).nextFireTime(START, START)).isEmpty();
    assertThat(new ManualOnly().nextFireTime(START, START)).isEmpty();
    assertThat(new ManualOnly().isTimeBased()).isFalse();
    assertThat(new IntervalSchedule(Duration.ofDays(1)).isTimeBased()).isTrue();
  }
}
