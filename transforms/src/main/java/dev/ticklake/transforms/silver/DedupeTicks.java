package dev.ticklake.transforms.silver;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps one row per {@code silver/ticks} key (symbol, ts, source) within a batch: the one that
 * comes first in Bronze (lowest Kafka partition, then lowest offset), so the choice does not depend
 * on the runner, bundling or the order rows arrive in. One shuffle, combined before it (a duplicate
 * costs nothing beyond its key). Against rows already in Silver, the insert-only upsert decides
 * (the existing row wins).
 */
public final class DedupeTicks
    extends PTransform<PCollection<SilverTick>, PCollection<SilverTick>> {
  private static final long serialVersionUID = 1L;

  private DedupeTicks() {}

  public static DedupeTicks firstInBronze() {
    return new DedupeTicks();
  }

  @Override
  public PCollection<SilverTick> expand(PCollection<SilverTick> ticks) {
    return ticks
        .apply("KeyBySilverKey", ParDo.of(new KeyFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SilverTick.CODER))
        .apply("KeepFirstInBronze", Combine.perKey(new FirstInBronze()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SilverTick.CODER))
        .apply("DropKeys", Values.create())
        .setCoder(SilverTick.CODER);
  }

  private static final class KeyFn extends DoFn<SilverTick, KV<String, SilverTick>> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element SilverTick t, OutputReceiver<KV<String, SilverTick>> out) {
      out.output(KV.of(t.key(), t));
    }
  }

  private static final class FirstInBronze extends Combine.BinaryCombineFn<SilverTick> {
    private static final long serialVersionUID = 1L;

    @Override
    public SilverTick apply(SilverTick left, SilverTick right) {
      return right.precedes(left) ? right : left;
    }
  }
}
