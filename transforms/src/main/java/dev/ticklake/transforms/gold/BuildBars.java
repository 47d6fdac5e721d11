package dev.ticklake.transforms.gold;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Silver events → one {@link SymbolDay} per (symbol, UTC date) present in the input, keyed by
 * symbol: its one-minute bars, daily bar and daily metrics (definitions in {@link OhlcvBar} and
 * {@link SymbolDay}). Every event of a (symbol, date) must be in the input: the result describes
 * exactly the events given.
 *
 * <p>Deterministic: a group's events are sorted in {@link SilverEvent#EVENT_ORDER} before any
 * aggregation, so the output does not depend on the runner, bundling or input order. Cost: one
 * shuffle of the events, then O(n log n) per (symbol, date).
 */
public final class BuildBars
    extends PTransform<PCollection<SilverEvent>, PCollection<KV<String, SymbolDay>>> {
  private static final long serialVersionUID = 1L;

  private BuildBars() {}

  public static BuildBars create() {
    return new BuildBars();
  }

  @Override
  public PCollection<KV<String, SymbolDay>> expand(PCollection<SilverEvent> events) {
    return events
        .apply("KeyBySymbolAndDate", ParDo.of(new KeyBySymbolAndDateFn()))
        .setCoder(
            KvCoder.of(
                KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()), SilverEvent.EventCoder.of()))
        .apply("GroupBySymbolAndDate", GroupByKey.create())
        .apply("AggregateDay", ParDo.of(new AggregateDayFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(SymbolDay.class)));
  }

  private static final class KeyBySymbolAndDateFn
      extends DoFn<SilverEvent, KV<KV<String, Integer>, SilverEvent>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element SilverEvent e, OutputReceiver<KV<KV<String, Integer>, SilverEvent>> out) {
      out.output(KV.of(KV.of(e.symbol(), e.tradeDate()), e));
    }
  }

  private static final class AggregateDayFn
      extends DoFn<KV<KV<String, Integer>, Iterable<SilverEvent>>, KV<String, SymbolDay>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(
        @Element KV<KV<String, Integer>, Iterable<SilverEvent>> group,
        OutputReceiver<KV<String, SymbolDay>> out) {
      List<SilverEvent> events = new ArrayList<>();
      group.getValue().forEach(events::add);
      events.sort(SilverEvent.EVENT_ORDER);
      String symbol = group.getKey().getKey();
      out.output(KV.of(symbol, SymbolDay.aggregate(symbol, group.getKey().getValue(), events)));
    }
  }
}
