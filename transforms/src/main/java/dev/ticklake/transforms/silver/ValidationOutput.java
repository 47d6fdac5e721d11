package dev.ticklake.transforms.silver;

import dev.ticklake.schemas.catalog.TableCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;

/**
 * One element of the validation step's single output: a valid {@link SilverTick}, a {@code
 * silver/quarantine} row, or a bundle's {@link DqCounts}; exactly one is set.
 *
 * <p>Why one output and not three: on Flink's batch runner a multi-output ParDo is materialised as
 * one tagged stream that every consumer reads and decodes in full before dropping the other tags,
 * so each of the 2M valid rows of a big batch was encoded once and decoded three times (by the
 * dedupe, quarantine and counting branches). With one output the rows go straight into the keyed
 * shuffle, and the few quarantine rows and counts are split off after it.
 */
final class ValidationOutput {
  private static final byte TICK = 0;
  private static final byte QUARANTINED = 1;
  private static final byte COUNTS = 2;

  /** Tag byte, then the element with its own coder. */
  static final Coder<ValidationOutput> CODER = new ValidationOutputCoder();

  private final SilverTick tick;
  private final GenericRecord quarantined;
  private final DqCounts counts;

  private ValidationOutput(SilverTick tick, GenericRecord quarantined, DqCounts counts) {
    this.tick = tick;
    this.quarantined = quarantined;
    this.counts = counts;
  }

  static ValidationOutput valid(SilverTick tick) {
    return new ValidationOutput(Objects.requireNonNull(tick, "tick"), null, null);
  }

  static ValidationOutput quarantined(GenericRecord row) {
    return new ValidationOutput(null, Objects.requireNonNull(row, "row"), null);
  }

  static ValidationOutput counts(DqCounts counts) {
    return new ValidationOutput(null, null, Objects.requireNonNull(counts, "counts"));
  }

  /** The valid row, or null. */
  SilverTick tick() {
    return tick;
  }

  /** The {@code silver/quarantine} row, or null. */
  GenericRecord quarantinedRow() {
    return quarantined;
  }

  /** The bundle's counts, or null. */
  DqCounts dqCounts() {
    return counts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidationOutput v
        && Objects.equals(tick, v.tick)
        && Objects.equals(quarantined, v.quarantined)
        && Objects.equals(counts, v.counts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tick, quarantined, counts);
  }

  @Override
  public String toString() {
    return tick != null
        ? "valid " + tick
        : quarantined != null ? "quarantined " + quarantined : "counts " + counts;
  }

  private static final class ValidationOutputCoder extends AtomicCoder<ValidationOutput> {
    private static final long serialVersionUID = 1L;
    private static final Coder<GenericRecord> QUARANTINE_ROWS =
        AvroCoder.of(TableCatalog.SILVER_QUARANTINE.schema());

    @Override
    public void encode(ValidationOutput v, OutputStream out) throws IOException {
      if (v.tick != null) {
        out.write(TICK);
        SilverTick.CODER.encode(v.tick, out);
      } else if (v.quarantined != null) {
        out.write(QUARANTINED);
        QUARANTINE_ROWS.encode(v.quarantined, out);
      } else {
        out.write(COUNTS);
        DqCounts.CODER.encode(v.counts, out);
      }
    }

    @Override
    public ValidationOutput decode(InputStream in) throws IOException {
      int tag = in.read();
      return switch (tag) {
        case TICK -> valid(SilverTick.CODER.decode(in));
        case QUARANTINED -> quarantined(QUARANTINE_ROWS.decode(in));
        case COUNTS -> counts(DqCounts.CODER.decode(in));
        default ->
            throw new CoderException(
                tag < 0
                    ? "ValidationOutput: stream ended before the tag byte"
                    : "ValidationOutput: unknown tag " + tag + " (expected 0, 1 or 2)");
      };
    }
  }
}
