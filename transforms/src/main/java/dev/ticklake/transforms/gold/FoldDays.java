package dev.ticklake.transforms.gold;

import dev.ticklake.schemas.catalog.TableCatalog;
import dev.ticklake.transforms.catalog.CatalogTables;
import dev.ticklake.transforms.delta.DeltaIO;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Folds a batch's new Silver events into the saved aggregates of their (symbol, date)s: the Gold
 * batch's aggregation step, linear in the new events instead of in the touched days.
 *
 * <p>Input ({@link PCollectionTuple}): {@link #EVENTS} the Silver events the batch added, and
 * {@link #STORED_STATES} the {@code gold/bar_state} rows of the batch's dates. Per (symbol, date):
 *
 * <ul>
 *   <li>new events and a saved fold, every new event sorting after the fold's last event (the usual
 *       case of a feed in time order): the fold is resumed and continued ({@link DayFold});
 *   <li>new events and no saved fold: the events are the whole day (Silver held none of its rows at
 *       the saved position), folded from the start;
 *   <li>a new event that sorts before the fold's last event (a late event, or a batch re-run after
 *       a crash between Gold's commits): the whole day is read again from Silver at the batch's
 *       version and folded from the start;
 *   <li>a saved fold without new events: passed through unchanged (for {@code daily_metrics} and
 *       {@code bar_state}, whose partitions hold every symbol of a date).
 * </ul>
 *
 * <p>With {@link #ofCompleteDays} the events are every Silver row of the batch's dates (a full
 * rebuild): each group is folded from the start and saved folds are ignored.
 *
 * <p>Output: {@link #DAYS} the changed (symbol, date)s as {@link SymbolDay}s keyed by symbol, and
 * {@link #STATES} the folds to save: one per (symbol, date) of the batch's dates.
 */
public final class FoldDays extends PTransform<PCollectionTuple, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<SilverEvent> EVENTS = new TupleTag<>() {};
  public static final TupleTag<GenericRecord> STORED_STATES = new TupleTag<>() {};

  public static final TupleTag<KV<String, SymbolDay>> DAYS = new TupleTag<>() {};
  public static final TupleTag<DayFold.State> STATES = new TupleTag<>() {};

  private static final TupleTag<KV<String, Integer>> REREAD = new TupleTag<>() {};
  private static final TupleTag<KV<KV<String, Integer>, List<SilverEvent>>> EVENT =
      new TupleTag<>() {};
  private static final TupleTag<DayFold.State> STATE = new TupleTag<>() {};
  private static final TupleTag<KV<String, Integer>> MARK = new TupleTag<>() {};

  /**
   * The shuffles group (symbol, date)s into this many buckets, not by (symbol, date): a runner's
   * cost per group (the DirectRunner's per-bundle work, a bundle per key) then stays bounded when a
   * backfill spans thousands of days, and a bucket's share of a batch is what a worker holds.
   */
  static final int BUCKETS = 64;

  private final String lakeRoot;
  private final long silverVersion;
  private final boolean completeDays;

  private FoldDays(String lakeRoot, long silverVersion, boolean completeDays) {
    this.lakeRoot = lakeRoot;
    this.silverVersion = silverVersion;
    this.completeDays = completeDays;
  }

  /** Events are the rows Silver added since the saved folds; late days are re-read at a version. */
  public static FoldDays ofNewEvents(String lakeRoot, long silverVersion) {
    return new FoldDays(lakeRoot, silverVersion, false);
  }

  /** Events are every Silver row of their dates. */
  public static FoldDays ofCompleteDays() {
    return new FoldDays(null, -1, true);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PCollection<KV<Integer, KV<KV<String, Integer>, List<SilverEvent>>>> events =
        chunkBySymbolDate(input.get(EVENTS), "ChunkEvents");
    if (completeDays) {
      // No saved folds to join: a plain grouping, without CoGroupByKey's union coding.
      return withCoders(
          events
              .apply("GroupBySymbolDate", GroupByKey.create())
              .apply(
                  "FoldCompleteDays",
                  ParDo.of(new FoldCompleteDayFn()).withOutputTags(DAYS, TupleTagList.of(STATES))));
    }
    PCollection<KV<Integer, DayFold.State>> states =
        input
            .get(STORED_STATES)
            .apply("KeyStates", ParDo.of(new KeyStateFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), STATE_CODER));
    PCollectionTuple folded =
        withCoders(
            KeyedPCollectionTuple.of(EVENT, events)
                .and(STATE, states)
                .apply("GroupBySymbolDate", CoGroupByKey.create())
                .apply(
                    "FoldNewEvents",
                    ParDo.of(new FoldNewEventsFn())
                        .withOutputTags(DAYS, TupleTagList.of(STATES).and(REREAD))));
    PCollectionTuple refolded = refoldLateDays(folded.get(REREAD).setCoder(SYMBOL_DATE_CODER));
    return PCollectionTuple.of(
            DAYS,
            PCollectionList.of(folded.get(DAYS))
                .and(refolded.get(DAYS))
                .apply("Days", Flatten.pCollections()))
        .and(
            STATES,
            PCollectionList.of(folded.get(STATES))
                .and(refolded.get(STATES))
                .apply("States", Flatten.pCollections()));
  }

  /** Late days: every Silver row of their dates at the batch's version, folded from the start. */
  private PCollectionTuple refoldLateDays(PCollection<KV<String, Integer>> reread) {
    PCollection<SilverEvent> dayEvents =
        reread
            .apply("SilverPartitionOfDay", ParDo.of(new SilverPartitionFn()))
            .setCoder(MapCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply(
                "ReadLateDays",
                DeltaIO.readPartitions()
                    .from(CatalogTables.spec(TableCatalog.SILVER_TICKS, lakeRoot))
                    .atVersion(silverVersion)
                    .readingFilesWith(new SilverEventFileReader(), SilverEvent.EventCoder.of()));
    PCollection<KV<Integer, KV<String, Integer>>> marks =
        reread
            .apply("MarkLateDay", ParDo.of(new MarkFn()))
            .setCoder(KvCoder.of(VarIntCoder.of(), SYMBOL_DATE_CODER));
    return withCoders(
        KeyedPCollectionTuple.of(EVENT, chunkBySymbolDate(dayEvents, "ChunkLateDayEvents"))
            .and(MARK, marks)
            .apply("GroupLateDays", CoGroupByKey.create())
            .apply(
                "FoldLateDays",
                ParDo.of(new FoldLateDayFn()).withOutputTags(DAYS, TupleTagList.of(STATES))));
  }

  private static final KvCoder<String, Integer> SYMBOL_DATE_CODER =
      KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of());
  private static final SerializableCoder<DayFold.State> STATE_CODER =
      SerializableCoder.of(DayFold.State.class);

  /** Sets the coders of a fold step's {@link #DAYS} and {@link #STATES} outputs. */
  private static PCollectionTuple withCoders(PCollectionTuple folded) {
    folded
        .get(DAYS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(SymbolDay.class)));
    folded.get(STATES).setCoder(STATE_CODER);
    return folded;
  }

  private static PCollection<KV<Integer, KV<KV<String, Integer>, List<SilverEvent>>>>
      chunkBySymbolDate(PCollection<SilverEvent> events, String name) {
    return events
        .apply(name, ParDo.of(new ChunkBySymbolDateFn()))
        .setCoder(
            KvCoder.of(VarIntCoder.of(), KvCoder.of(SYMBOL_DATE_CODER, EventChunkCoder.of())));
  }

  /** The bucket of a (symbol, date): stable across runs and runners. */
  static int bucket(String symbol, int date) {
    return Math.floorMod(symbol.hashCode() * 31 + date, BUCKETS);
  }

  /** A bucket's events by (symbol, date), each day's sorted in event order. */
  private static Map<KV<String, Integer>, List<SilverEvent>> daysOf(
      Iterable<KV<KV<String, Integer>, List<SilverEvent>>> chunks) {
    Map<KV<String, Integer>, List<SilverEvent>> days = new HashMap<>();
    for (KV<KV<String, Integer>, List<SilverEvent>> chunk : chunks) {
      days.computeIfAbsent(chunk.getKey(), k -> new ArrayList<>()).addAll(chunk.getValue());
    }
    days.values().forEach(SilverEvent::sortInEventOrder);
    return days;
  }

  /**
   * Keys events by (symbol, date) in chunks of up to {@value #CHUNK} per key and bundle: a day of
   * one symbol is a few keys with many events, and Flink's batch shuffle sorts element by element,
   * comparing equal keys each time; chunks make it sort a thousand times fewer elements. The fold
   * sorts a day's events itself, so the chunks' order does not matter.
   */
  private static final class ChunkBySymbolDateFn
      extends DoFn<SilverEvent, KV<Integer, KV<KV<String, Integer>, List<SilverEvent>>>> {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 1_000;
    // A record key: KV's hashCode and equals box and allocate on every call.
    private transient Map<SymbolDate, List<SilverEvent>> chunks;

    private record SymbolDate(String symbol, int date) {
      KV<Integer, KV<KV<String, Integer>, List<SilverEvent>>> with(List<SilverEvent> chunk) {
        return KV.of(bucket(symbol, date), KV.of(KV.of(symbol, date), chunk));
      }
    }

    @StartBundle
    public void startBundle() {
      chunks = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element SilverEvent e,
        OutputReceiver<KV<Integer, KV<KV<String, Integer>, List<SilverEvent>>>> out) {
      SymbolDate key = new SymbolDate(e.symbol(), e.tradeDate());
      List<SilverEvent> chunk = chunks.computeIfAbsent(key, k -> new ArrayList<>(CHUNK));
      chunk.add(e);
      if (chunk.size() == CHUNK) {
        out.output(key.with(chunk));
        chunks.remove(key);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      chunks.forEach(
          (key, chunk) ->
              c.output(
                  key.with(chunk), GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
      chunks = null;
    }
  }

  private static final class KeyStateFn extends DoFn<GenericRecord, KV<Integer, DayFold.State>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element GenericRecord row, OutputReceiver<KV<Integer, DayFold.State>> out) {
      DayFold.State s = GoldRows.storedBarState(row);
      out.output(KV.of(bucket(s.symbol(), s.tradeDate()), s));
    }
  }

  private static final class FoldNewEventsFn
      extends DoFn<KV<Integer, CoGbkResult>, KV<String, SymbolDay>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> group, MultiOutputReceiver out) {
      Map<KV<String, Integer>, List<SilverEvent>> days = daysOf(group.getValue().getAll(EVENT));
      for (DayFold.State state : group.getValue().getAll(STATE)) {
        KV<String, Integer> day = KV.of(state.symbol(), state.tradeDate());
        List<SilverEvent> events = days.remove(day);
        if (events == null) {
          out.get(STATES).output(state);
          continue;
        }
        DayFold fold = DayFold.resume(state);
        if (fold.canAppend(events.get(0))) {
          output(fold.acceptAll(events), out);
        } else {
          out.get(REREAD).output(day);
        }
      }
      // Days without a saved fold: the events are the whole day.
      days.forEach((day, events) -> fold(day, events, out));
    }
  }

  /** The {@code silver/ticks} partition of a (symbol, date)'s date. */
  private static final class SilverPartitionFn
      extends DoFn<KV<String, Integer>, Map<String, String>> {
    private static final long serialVersionUID = 1L;
    private static final String TRADE_DATE =
        BuildGold.onlyPartitionColumn(TableCatalog.SILVER_TICKS);

    @ProcessElement
    public void process(@Element KV<String, Integer> day, OutputReceiver<Map<String, String>> out) {
      out.output(Map.of(TRADE_DATE, LocalDate.ofEpochDay(day.getValue()).toString()));
    }
  }

  private static final class MarkFn
      extends DoFn<KV<String, Integer>, KV<Integer, KV<String, Integer>>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<String, Integer> day, OutputReceiver<KV<Integer, KV<String, Integer>>> out) {
      out.output(KV.of(bucket(day.getKey(), day.getValue()), day));
    }
  }

  /** A whole day's events (complete mode), folded from the start. */
  private static final class FoldCompleteDayFn
      extends DoFn<
          KV<Integer, Iterable<KV<KV<String, Integer>, List<SilverEvent>>>>,
          KV<String, SymbolDay>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<KV<String, Integer>, List<SilverEvent>>>> group,
        MultiOutputReceiver out) {
      daysOf(group.getValue()).forEach((day, events) -> fold(day, events, out));
    }
  }

  private static void fold(
      KV<String, Integer> symbolDate,
      List<SilverEvent> sortedEvents,
      DoFn.MultiOutputReceiver out) {
    output(DayFold.start(symbolDate.getKey(), symbolDate.getValue()).acceptAll(sortedEvents), out);
  }

  /** A finished fold: its state, and its day keyed by symbol. */
  private static void output(DayFold fold, DoFn.MultiOutputReceiver out) {
    DayFold.State state = fold.state();
    out.get(STATES).output(state);
    out.get(DAYS).output(KV.of(state.symbol(), fold.toSymbolDay()));
  }

  private static final class FoldLateDayFn
      extends DoFn<KV<Integer, CoGbkResult>, KV<String, SymbolDay>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> group, MultiOutputReceiver out) {
      Map<KV<String, Integer>, List<SilverEvent>> days = daysOf(group.getValue().getAll(EVENT));
      for (KV<String, Integer> marked : group.getValue().getAll(MARK)) {
        // Other symbols of a re-read date are in the bucket too: only marked days are folded.
        fold(marked, days.getOrDefault(marked, List.of()), out);
      }
    }
  }
}
