package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DeltaTable;
import dev.ticklake.transforms.delta.DeltaWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;

/** The small steps of {@link DeltaWrite} around its workers and its commit. */
public final class WriteSteps {
  private WriteSteps() {}

  /** Reads the table's latest version (-1: none) when the pipeline starts. */
  public static final class LatestVersionFn extends DoFn<byte[], Long> {
    private static final long serialVersionUID = 1L;
    private final String location;
    private final Map<String, String> hadoopConf;

    public LatestVersionFn(String location, Map<String, String> hadoopConf) {
      this.location = location;
      this.hadoopConf = hadoopConf;
    }

    @ProcessElement
    public void process(OutputReceiver<Long> out) {
      out.output(DeltaTable.at(location, hadoopConf).latestVersion());
    }
  }

  public static final class PartitionKeyFn
      implements org.apache.beam.sdk.transforms.SerializableFunction<GenericRecord, String> {
    private static final long serialVersionUID = 1L;
    private final TableLayout layout;

    public PartitionKeyFn(TableLayout layout) {
      this.layout = layout;
    }

    @Override
    public String apply(GenericRecord row) {
      return layout.partitions().keyOf(row);
    }
  }

  /** Gathers the files of a batch into one list; an empty batch gives an empty list. */
  public static final class CollectFn<T> extends Combine.CombineFn<T, List<T>, List<T>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<T> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<T> addInput(List<T> acc, T f) {
      acc.add(f);
      return acc;
    }

    @Override
    public List<T> mergeAccumulators(Iterable<List<T>> accs) {
      List<T> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public List<T> extractOutput(List<T> acc) {
      return acc;
    }

    @Override
    public Coder<List<T>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, Coder<T> inputCoder) {
      return ListCoder.of(inputCoder);
    }
  }
}
