package dev.ticklake.transforms.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ticklake.testing.AvroRows;
import dev.ticklake.testing.KernelTableReader;
import dev.ticklake.transforms.delta.internal.DeltaSchemas;
import dev.ticklake.transforms.delta.internal.ParquetDataFiles;
import dev.ticklake.transforms.delta.internal.TableLayout;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.types.StructType;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

/**
 * After each test, every Delta table under the test's {@code @TempDir} is read by Delta Kernel and
 * by TickLake's reader, and the two must give identical rows: no table a test writes escapes the
 * independent reader.
 */
final class KernelAgreement implements AfterEachCallback {
  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (context.getExecutionException().isPresent()) {
      return;
    }
    Object test = context.getRequiredTestInstance();
    for (Field f : test.getClass().getDeclaredFields()) {
      if (f.isAnnotationPresent(TempDir.class)) {
        f.setAccessible(true);
        for (Path table : tablesUnder((Path) f.get(test))) {
          assertAgree(table.toString());
        }
      }
    }
  }

  static List<Path> tablesUnder(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().equals("_delta_log"))
          .map(Path::getParent)
          .toList();
    }
  }

  static void assertAgree(String location) throws Exception {
    DeltaTable table = DeltaTable.at(location);
    StructType deltaSchema = table.schema().orElseThrow();
    Schema schema = DeltaSchemas.toAvro(deltaSchema, "Row");
    TableLayout layout = new TableLayout(schema, table.partitionColumns(), List.of());
    List<Map<String, Object>> ours = new ArrayList<>();
    for (AddFile f : table.filesAt(-1)) {
      ParquetDataFiles.read(
          new Configuration(),
          location,
          f.getPath(),
          f.getPartitionValues(),
          layout,
          r -> ours.add(AvroRows.toMap(r)));
    }
    List<Map<String, Object>> kernel = KernelTableReader.of(location).readLatest();
    assertThat(kernel)
        .as("Delta Kernel vs TickLake rows of %s", location)
        .containsExactlyInAnyOrderElementsOf(ours);
  }
}
