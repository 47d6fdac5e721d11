package dev.ticklake.transforms.delta.internal;

import dev.ticklake.transforms.delta.DataFileReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
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
      Supplier<? extends RecordMaterializer<T>> materializer,
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
    private final Supplier<? extends RecordMaterializer<T>> materializer;

    public Projection(
        Path file,
        String table,
        List<String> columns,
        Supplier<? extends RecordMaterializer<T>> materializer) {
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

  /**
   * A {@link RecordMaterializer} built from one converter per projected column: a subclass declares
   * them as fields initialised with {@link #column}, in the order the columns were asked for; the
   * root converter hands each column to its converter, then {@link #endRow} builds the row from
   * their values.
   */
  public abstract static class RowMaterializer<T> extends RecordMaterializer<T> {
    private final List<Converter> columns = new ArrayList<>();
    private T current;

    private final GroupConverter root =
        new GroupConverter() {
          @Override
          public Converter getConverter(int fieldIndex) {
            return columns.get(fieldIndex);
          }

          @Override
          public void start() {
            startRow();
          }

          @Override
          public void end() {
            current = endRow();
          }
        };

    /** Registers the next column's converter (field initialisers run in declaration order). */
    protected final <C extends Converter> C column(C converter) {
      columns.add(converter);
      return converter;
    }

    /** Before a row: reset the optional columns (a null value gets no call at all). */
    protected void startRow() {}

    /** After a row's columns: the row. */
    protected abstract T endRow();

    @Override
    public final T getCurrentRecord() {
      return current;
    }

    @Override
    public final GroupConverter getRootConverter() {
      return root;
    }
  }

  /** A string column; each dictionary entry is decoded once per page dictionary. */
  public static final class StringColumn extends PrimitiveConverter {
    private String value;
    private String[] dictionary;

    public String value() {
      return value;
    }

    /** For an optional column, before each row. */
    public void clear() {
      value = null;
    }

    @Override
    public boolean hasDictionarySupport() {
      return true;
    }

    @Override
    public void setDictionary(Dictionary d) {
      dictionary = new String[d.getMaxId() + 1];
      for (int id = 0; id <= d.getMaxId(); id++) {
        dictionary[id] = d.decodeToBinary(id).toStringUsingUTF8();
      }
    }

    @Override
    public void addValueFromDictionary(int dictionaryId) {
      value = dictionary[dictionaryId];
    }

    @Override
    public void addBinary(Binary v) {
      value = v.toStringUsingUTF8();
    }
  }

  /** A bytes column, copied out of the page. */
  public static final class BytesColumn extends PrimitiveConverter {
    private byte[] value;

    public byte[] value() {
      return value;
    }

    /** For an optional column, before each row. */
    public void clear() {
      value = null;
    }

    @Override
    public void addBinary(Binary v) {
      value = v.getBytes();
    }
  }

  /** An int column. */
  public static final class IntColumn extends PrimitiveConverter {
    private int value;

    public int value() {
      return value;
    }

    @Override
    public void addInt(int v) {
      value = v;
    }
  }

  /** A long column. */
  public static final class LongColumn extends PrimitiveConverter {
    private long value;

    public long value() {
      return value;
    }

    @Override
    public void addLong(long v) {
      value = v;
    }
  }

  /** A double column. */
  public static final class DoubleColumn extends PrimitiveConverter {
    private double value;

    public double value() {
      return value;
    }

    @Override
    public void addDouble(double v) {
      value = v;
    }
  }
}
