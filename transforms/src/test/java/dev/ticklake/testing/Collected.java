package dev.ticklake.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Gathers a PCollection's elements into this JVM, for pipelines run in-process on the DirectRunner.
 * Each instance has its own id, so tests do not see each other's elements.
 */
public final class Collected<T> extends PTransform<PCollection<T>, PDone> {
  private static final Map<String, List<Object>> SINKS = new ConcurrentHashMap<>();
  private final String id = UUID.randomUUID().toString();

  public static <T> Collected<T> into() {
    return new Collected<>();
  }

  @SuppressWarnings("unchecked")
  public List<T> elements() {
    return new ArrayList<>((List<T>) (List<?>) SINKS.getOrDefault(id, List.of()));
  }

  @Override
  public PDone expand(PCollection<T> input) {
    SINKS.put(id, new CopyOnWriteArrayList<>());
    input.apply("Collect", ParDo.of(new AddFn<>(id)));
    return PDone.in(input.getPipeline());
  }

  private static final class AddFn<T> extends DoFn<T, Void> {
    private final String id;

    AddFn(String id) {
      this.id = id;
    }

    @ProcessElement
    public void process(@Element T element) {
      Object copy =
          element instanceof GenericRecord r
              ? org.apache.avro.generic.GenericData.get().deepCopy(r.getSchema(), r)
              : element;
      SINKS.get(id).add(copy);
    }
  }
}
