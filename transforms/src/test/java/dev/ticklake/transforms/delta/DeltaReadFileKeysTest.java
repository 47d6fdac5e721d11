package dev.ticklake.transforms.delta;

import static dev.ticklake.transforms.delta.TickTables.append;
import static dev.ticklake.transforms.delta.TickTables.maps;
import static dev.ticklake.transforms.delta.TickTables.read;
import static dev.ticklake.transforms.delta.TickTables.sorted;
import static dev.ticklake.transforms.delta.TickTables.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.Collected;
import dev.ticklake.testing.Runners;
import dev.ticklake.transforms.delta.internal.ReadDataFilesFn;
import dev.ticklake.transforms.delta.internal.ReadRange;
import dev.ticklake.transforms.util.BucketKeys;
import io.delta.standalone.actions.AddFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a read hands its files to the workers: largest first, under the read's bucket keys. */
class DeltaReadFileKeysTest {
  @TempDir Path dir;

  /** Bucket b travels under key 100 + 7b: keys that are not the bucket numbers. */
  private static final BucketKeys SPREAD =
      (buckets, options) -> IntStream.range(0, buckets).map(b -> 100 + 7 * b).toArray();

  @Test
  void filesGoOutLargestFirstUnderTheReadsKeys() {
    String table = dir.resolve("t").toString();
    // Three dates of different sizes, then a small commit: files of several sizes (the
    // DirectRunner writes a file per bundle and date).
    List<GenericRecord> base = TickTables.generate(300, 3); // row i is on day i % 3
    List<GenericRecord> rows =
        IntStream.range(0, 300)
            .filter(i -> i % 3 == 0 || (i % 3 == 1 && i % 2 == 0) || (i % 3 == 2 && i % 5 == 0))
            .mapToObj(base::get)
            .toList(); // 100, 50 and 20 rows
    write(rows, append(table));
    write(TickTables.generate(5, 1), append(table));
    List<AddFile> files = new ArrayList<>(DeltaTable.at(table).filesAt(-1));
    assertThat(files.stream().map(AddFile::getSize).distinct().count()).isGreaterThan(2);
    files.sort(
        Comparator.comparingLong(AddFile::getSize).reversed().thenComparing(AddFile::getPath));

    Pipeline p = Runners.direct();
    Collected<KV<Integer, DataFileAction>> keyed = Collected.into();
    p.apply(Impulse.create())
        .apply(
            ParDo.of(
                new ReadDataFilesFn.ListFiles(table, Map.of(), ReadRange.latest(), null, SPREAD)))
        .apply(keyed);
    p.run().waitUntilFinish();

    List<KV<Integer, String>> expected = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      expected.add(KV.of(100 + 7 * i, files.get(i).getPath()));
    }
    assertThat(keyed.elements().stream().map(kv -> KV.of(kv.getKey(), kv.getValue().path())))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theKeysChangeWhereFilesAreReadNotWhatIsRead() {
    String table = dir.resolve("t").toString();
    write(TickTables.generate(200, 3), append(table));
    write(TickTables.generate(40, 2), append(table));
    List<Map<String, Object>> plain = read(DeltaIO.read().from(table));
    assertThat(read(DeltaIO.read().from(table).distributingFilesWith(SPREAD))).isEqualTo(plain);
    List<GenericRecord> all = new ArrayList<>(TickTables.generate(200, 3));
    all.addAll(TickTables.generate(40, 2));
    assertThat(plain).isEqualTo(sorted(maps(all)));
  }
}
