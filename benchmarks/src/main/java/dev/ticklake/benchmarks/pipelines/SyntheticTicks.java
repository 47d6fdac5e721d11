package dev.ticklake.benchmarks.pipelines;

import dev.ticklake.schemas.catalog.TableCatalog;
import java.io.Serializable;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Deterministic tick-shaped rows of {@code silver/ticks}, computed from a row index alone: the same
 * index always gives the same row, in any JVM, runner or thread. Rows are spread over {@code days}
 * consecutive UTC days in contiguous blocks; within a day {@code ts} increases by 4 ms plus a small
 * jitter (strictly increasing). Prices are around 100–500 with small deterministic noise.
 *
 * <p>Fields are filled by position, and only those the target schema has: the raw Parquet baseline
 * generates rows without the partition column ({@code trade_date}), as Delta stores them, with the
 * same function and values.
 */
final class SyntheticTicks implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String[] SYMBOLS = {"AAPL", "GOOGL", "MSFT", "AMZN", "TSLA"};
  private static final double[] BASE_PRICES = {190.0, 170.0, 420.0, 185.0, 250.0};

  /** 2026-11-20T14:30:00Z, the opening of a US trading day, in epoch microseconds. */
  static final long START_MICROS = 1_795_185_000_000_000L;

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final long STEP_MICROS = 4_000;
  private static final String SOURCE = "synthetic";

  private final String schemaJson;
  private final int symbols;
  private final long rowsPerDay;
  private transient Schema schema;
  private transient int[] pos;

  /**
   * @param schema the record schema to fill (all of {@code silver/ticks}, or without partitions)
   * @param rows the total number of rows of the run (to spread them over the days)
   * @param symbols how many distinct symbols (the first five are real tickers)
   * @param days over how many consecutive trade dates the rows are spread
   */
  SyntheticTicks(Schema schema, long rows, int symbols, int days) {
    if (symbols < 1 || days < 1 || rows < 0) {
      throw new IllegalArgumentException("need rows >= 0, symbols >= 1, days >= 1");
    }
    this.schemaJson = schema.toString();
    this.symbols = symbols;
    this.rowsPerDay = Math.max(1, (rows + days - 1) / days);
    init();
  }

  private void init() {
    schema = new Schema.Parser().parse(schemaJson);
    // Field numbers in row() are positions in silver/ticks; the target schema may lack some.
    List<String> names = TableCatalog.SILVER_TICKS.columnNames();
    pos = new int[names.size()];
    for (int i = 0; i < pos.length; i++) {
      Schema.Field f = schema.getField(names.get(i));
      pos[i] = f == null ? -1 : f.pos();
    }
  }

  Schema schema() {
    if (schema == null) {
      init();
    }
    return schema;
  }

  /** The row with index {@code i}. */
  GenericRecord row(long i) {
    GenericData.Record r = new GenericData.Record(schema());
    int s = (int) (i % symbols);
    long day = i / rowsPerDay;
    long within = i % rowsPerDay;
    long ts = START_MICROS + day * MICROS_PER_DAY + within * STEP_MICROS + (within % 4) * 250;
    long h = mix(i);
    double base = s < BASE_PRICES.length ? BASE_PRICES[s] : 100.0 + (s * 37 % 400);
    double open = base + noise(h, 0);
    double close = base + noise(h, 16);
    double spread = Math.abs(noise(h, 32)) / 4;
    put(r, 0, s < SYMBOLS.length ? SYMBOLS[s] : String.format("S%03d", s));
    put(r, 1, ts);
    put(r, 2, "trade");
    put(r, 3, null);
    put(r, 4, open);
    put(r, 5, Math.max(open, close) + spread);
    put(r, 6, Math.min(open, close) - spread);
    put(r, 7, close);
    put(r, 8, 1 + (h >>> 48) % 5_000);
    put(r, 9, SOURCE);
    put(r, 10, "syn-" + i);
    put(r, 11, ts + 1_500);
    put(r, 12, (int) Math.floorDiv(ts, MICROS_PER_DAY));
    return r;
  }

  private void put(GenericData.Record r, int field, Object value) {
    if (pos[field] >= 0) {
      r.put(pos[field], value);
    }
  }

  /** A value in [-1, 1) from 16 bits of the hash: the "small deterministic noise". */
  private static double noise(long hash, int shift) {
    return (((hash >>> shift) & 0xFFFF) - 32_768) / 32_768.0;
  }

  /** SplitMix64's finaliser: a well-spread hash of the index, identical everywhere. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Rows {@code 0..rows-1} in a pipeline: {@code GenerateSequence} of blocks of {@code
   * rowsPerElement} consecutive indices, each expanded into its rows by a DoFn.
   *
   * <p>Why blocks: Beam's Flink batch source wrapper updates the job's metrics after every element
   * it reads (walking every metric container of the task); with one row per source element that was
   * 39% of the CPU of a Flink write in this benchmark, a cost of {@code GenerateSequence} on Flink,
   * not of DeltaIO. Real inputs (a Kafka offset-range read, a DeltaIO read) are DoFns that emit
   * many rows per input element, as the expansion here does. {@code rowsPerElement = 1} gives the
   * plain {@code GenerateSequence.from(0).to(rows)}.
   */
  static final class GenerateTicks extends PTransform<PBegin, PCollection<GenericRecord>> {
    private static final long serialVersionUID = 1L;
    private final SyntheticTicks ticks;
    private final long rows;
    private final long rowsPerElement;

    GenerateTicks(Schema schema, long rows, int symbols, int days, long rowsPerElement) {
      if (rowsPerElement < 1) {
        throw new IllegalArgumentException("rowsPerElement must be >= 1, got " + rowsPerElement);
      }
      this.ticks = new SyntheticTicks(schema, rows, symbols, days);
      this.rows = rows;
      this.rowsPerElement = rowsPerElement;
    }

    long rows() {
      return rows;
    }

    @Override
    public PCollection<GenericRecord> expand(PBegin input) {
      long blocks = (rows + rowsPerElement - 1) / rowsPerElement;
      return input
          .apply("Sequence", GenerateSequence.from(0).to(blocks))
          .apply("ToTicks", ParDo.of(new ToTicksFn(ticks, rows, rowsPerElement)))
          .setCoder(AvroCoder.of(ticks.schema()));
    }
  }

  /** Expands block {@code b} into rows {@code [b * rowsPerBlock, min(rows, (b + 1) * ...))}. */
  private static final class ToTicksFn extends DoFn<Long, GenericRecord> {
    private static final long serialVersionUID = 1L;
    private final SyntheticTicks ticks;
    private final long rows;
    private final long rowsPerBlock;

    ToTicksFn(SyntheticTicks ticks, long rows, long rowsPerBlock) {
      this.ticks = ticks;
      this.rows = rows;
      this.rowsPerBlock = rowsPerBlock;
    }

    @ProcessElement
    public void process(@Element Long block, OutputReceiver<GenericRecord> out) {
      long end = Math.min(rows, (block + 1) * rowsPerBlock);
      for (long i = block * rowsPerBlock; i < end; i++) {
        out.output(ticks.row(i));
      }
    }
  }
}
