package dev.ticklake.pipelines.maintenance;

import dev.ticklake.schemas.catalog.TableDef;
import dev.ticklake.transforms.delta.DeltaMaintenance;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Vacuum of every table of the catalog (or of {@code --tables}): deletes the data files that no
 * version of the last {@code --retention} references and that are older than it ({@link
 * DeltaMaintenance#vacuum}), so old versions stay readable for that long.
 *
 * <p>Retention rules (see docs/maintenance.md for the reasoning):
 *
 * <ul>
 *   <li>Default {@value #DEFAULT_RETENTION_TEXT}: time travel to the versions that lineage records,
 *       for a week.
 *   <li>Never below {@value #RETENTION_FLOOR_TEXT} unless {@code --allowShortRetention=true}: a
 *       shorter one could delete files that a running try (up to its execution timeout and retries)
 *       or a snapshot reader still reads.
 *   <li>Never past an incremental reader: when a downstream table's stored position ({@link
 *       ReaderPositions}) is older than the retention, the retention of that source table is
 *       extended to cover it (plus an hour), so a paused or failing DAG can resume exactly. A
 *       reader whose position's commit file is gone leaves its source table unvacuumed.
 * </ul>
 *
 * <p>Idempotent; never commits to the Delta log. {@code --dryRun=true} lists without deleting.
 */
public final class VacuumTablesJob {
  static final String DEFAULT_RETENTION_TEXT = "7d";
  static final String RETENTION_FLOOR_TEXT = "1d";

  /** The default retention: 7 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** The shortest retention allowed without {@code --allowShortRetention=true}: 1 day. */
  public static final Duration RETENTION_FLOOR = Duration.ofDays(1);

  /** Margin added to a lagging reader's age, for clock skew between writers and storage. */
  static final Duration READER_MARGIN = Duration.ofHours(1);

  private VacuumTablesJob() {}

  /** Options of the vacuum job. */
  public interface Options extends MaintenanceOptions {
    @Description(
        "Keep every file that a version of the last RETENTION references: 7d, 36h, 90m or ISO-8601"
            + " (P7D); at least 1d unless --allowShortRetention=true")
    @Default.String(DEFAULT_RETENTION_TEXT)
    String getRetention();

    void setRetention(String value);

    @Description("Allow a retention below 1 day (tests, or a lake without time travel needs)")
    @Default.Boolean(false)
    Boolean getAllowShortRetention();

    void setAllowShortRetention(Boolean value);

    @Description("List the files that would be deleted, delete nothing")
    @Default.Boolean(false)
    Boolean getDryRun();

    void setDryRun(Boolean value);
  }

  /**
   * One table's vacuum.
   *
   * @param retention the retention applied: the option's, or longer for a lagging reader
   * @param note why the retention was extended or the table skipped; empty otherwise
   * @param result the files deleted (or listed, in a dry run); null when the table was skipped
   */
  public record TableVacuum(
      String table, Duration retention, String note, DeltaMaintenance.VacuumResult result) {}

  /** What the job did, table by table, in catalog order. */
  public record Result(List<TableVacuum> tables, boolean dryRun) {
    public int filesDeleted() {
      return tables.stream()
          .mapToInt(t -> t.result() == null ? 0 : t.result().files().size())
          .sum();
    }

    @Override
    public String toString() {
      StringBuilder s =
          new StringBuilder(
              (dryRun ? "would delete " : "deleted ")
                  + filesDeleted()
                  + " files in "
                  + tables.size()
                  + " tables");
      for (TableVacuum t : tables) {
        s.append('\n').append(t.table()).append(": ");
        s.append(
            t.result() == null
                ? "skipped"
                : t.result().files().size() + " files, " + t.result().bytes() + " bytes");
        s.append(", retention ").append(t.retention());
        if (!t.note().isEmpty()) {
          s.append(" (").append(t.note()).append(')');
        }
      }
      return s.toString();
    }
  }

  public static void main(String[] args) throws IOException {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    System.out.println(run(options));
  }

  public static Result run(Options options) throws IOException {
    Duration retention = parseRetention(options.getRetention());
    boolean allowShort = options.getAllowShortRetention();
    if (retention.compareTo(RETENTION_FLOOR) < 0 && !allowShort) {
      throw new IllegalArgumentException(
          "--retention="
              + options.getRetention()
              + " is below the "
              + RETENTION_FLOOR_TEXT
              + " floor: it could delete files that a running or retried try, or a reader of an"
              + " older version, still needs. Use at least "
              + RETENTION_FLOOR_TEXT
              + ", or pass --allowShortRetention=true if no such reader exists");
    }
    long now = System.currentTimeMillis();
    List<TableVacuum> done = new ArrayList<>();
    for (TableDef t : MaintenanceOptions.existingTables(options)) {
      done.add(vacuum(options, t, retention, allowShort, now));
    }
    return new Result(done, options.getDryRun());
  }

  private static TableVacuum vacuum(
      Options options, TableDef table, Duration retention, boolean allowShort, long now)
      throws IOException {
    String lakeRoot = options.getLakeRoot();
    Optional<ReaderPositions.Lagging> lagging = ReaderPositions.oldestBehind(lakeRoot, table);
    Duration applied = retention;
    String note = "";
    if (lagging.isPresent()) {
      ReaderPositions.Lagging r = lagging.get();
      if (r.committedAtMillis().isEmpty()) {
        return new TableVacuum(
            table.id(),
            retention,
            "reader "
                + r.reader()
                + " is at version "
                + r.version()
                + ", whose commit file is gone",
            null);
      }
      Duration needed = Duration.ofMillis(now - r.committedAtMillis().get()).plus(READER_MARGIN);
      if (needed.compareTo(retention) > 0) {
        applied = needed;
        note = "extended for reader " + r.reader() + " at version " + r.version();
      }
    }
    DeltaMaintenance.VacuumResult result =
        DeltaMaintenance.of(table.location(lakeRoot))
            .vacuum(applied, options.getDryRun(), allowShort);
    return new TableVacuum(table.id(), applied, note, result);
  }

  /** {@code 7d}, {@code 36h}, {@code 90m}, {@code 30s} or ISO-8601 ({@code P7D}, {@code PT36H}). */
  static Duration parseRetention(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.startsWith("p")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.matches("\\d+[dhms]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        d =
            switch (t.charAt(t.length() - 1)) {
              case 'd' -> Duration.ofDays(n);
              case 'h' -> Duration.ofHours(n);
              case 'm' -> Duration.ofMinutes(n);
              default -> Duration.ofSeconds(n);
            };
      } else {
        throw new DateTimeParseException("no unit", t, 0);
      }
      if (!d.isNegative()) {
        return d;
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(
        "--retention='"
            + text
            + "' is not a duration: use a number with a unit d, h, m or s (7d, 36h) or ISO-8601"
            + " (P7D)");
  }
}
