package dev.ticklake.transforms.delta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads a few columns of a Parquet data file into a {@link DataFileReader}'s own type: the columns
 * are projected (the others are never decoded) and each row goes through the caller's {@link
 * RecordMaterializer}, whose root converter gets the columns in the order asked for.
 */
public final class ProjectedParquetFiles {
  private ProjectedParquetFiles() {}

  /**
   * Emits every row of {@code file} as materialised from {@code columns}.
   *
   * @param table the table's id, for the error when a column is missing
   * @throws IllegalStateException if the file has no column of that name
   */
  public static <T> void read(
      Configuration conf,
      Path file,
      String table,
      List<String> columns,
      Supplier<RecordMaterializer<T>> materializer,
      Consumer<T> out)
      throws IOException {
    try (ParquetReader<T> reader =
        new ParquetReader.Builder<T>(HadoopInputFile.fromPath(file, conf)) {
          @Override
          protected ReadSupport<T> getReadSupport() {
            return new Projection<>(file, table, columns, materializer);
          }
        }.withConf(conf).build()) {
      for (T row = reader.read(); row != null; row = reader.read()) {
        out.accept(row);
      }
    }
  }

  private static final class Projection<T> extends ReadSupport<T> {
    private final Path file;
    private final String table;
    private final List<String> columns;
    private final Supplier<RecordMaterializer<T>> materializer;

    Projection(
        Path file,
        String table,
        List<String> columns,
        Supplier<RecordMaterializer<T>> materializer) {
      this.file = file;
      this.table = table;
      this.columns = columns;
      this.materializer = materializer;
    }

    @Override
    public ReadContext init(InitContext context) {
      MessageType fileSchema = context.getFileSchema();
      List<Type> projected = new ArrayList<>();
      for (String name : columns) {
        if (!fileSchema.containsField(name)) {
          throw new IllegalStateException(
              table + " file " + file + " has no column " + name + ": " + fileSchema);
        }
        projected.add(fileSchema.getType(name));
      }
      return new ReadContext(new MessageType(fileSchema.getName(), projected));
    }

    @Override
    public RecordMaterializer<T> prepareForRead(
        Configuration conf,
        Map<String, String> keyValueMetaData,
        MessageType fileSchema,
        ReadContext readContext) {
      return materializer.get();
    }
  }
}
