package dev.ticklake.schemas.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** What {@link TableDef} refuses, so that a broken catalog fails at class-init. */
class TableDefTest {
  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "T", "fields": [
                {"name": "symbol", "type": "string"},
                {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
                {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                {"name": "bucket", "type": "long"},
                {"name": "note", "type": ["null", "string"], "default": null},
                {"name": "price", "type": "double"}
              ]}
              """);

  private static TableDef table(
      String id, List<String> partitions, List<String> keys, WriteMode mode) {
    return new TableDef(id, Layer.GOLD, id, SCHEMA, partitions, keys, mode, List.of(), "test");
  }

  @Test
  void acceptsAConsistentDefinition() {
    TableDef table =
        table(
            "gold/t",
            List.of("symbol", "day", "bucket"),
            List.of("symbol", "ts"),
            WriteMode.UPSERT);

    assertThat(table.columnNames())
        .containsExactly("symbol", "ts", "day", "bucket", "note", "price");
    assertThat(table.location("s3a://b/")).isEqualTo("s3a://b/gold/t");
  }

  @Test
  void rejectsAPartitionColumnMissingFromTheSchema() {
    assertThatThrownBy(() -> table("gold/t", List.of("date"), List.of(), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "table gold/t: partition column 'date' is not in the schema (columns: symbol, ts, day,"
                + " bucket, note, price)");
  }

  @Test
  void rejectsAKeyColumnMissingFromTheSchema() {
    assertThatThrownBy(() -> table("gold/t", List.of(), List.of("id"), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("table gold/t: key column 'id' is not in the schema");
  }

  @Test
  void rejectsPartitionColumnsOfUnpartitionableTypes() {
    assertThatThrownBy(() -> table("gold/t", List.of("ts"), List.of(), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "table gold/t: partition column 'ts' must be a non-nullable string, int, date or long,"
                + " got timestamp-micros");
    assertThatThrownBy(() -> table("gold/t", List.of("note"), List.of(), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "table gold/t: partition column 'note' must be a non-nullable string, int, date or"
                + " long, got nullable string");
    assertThatThrownBy(() -> table("gold/t", List.of("price"), List.of(), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("got double");
  }

  @Test
  void rejectsANullableKeyColumn() {
    assertThatThrownBy(() -> table("gold/t", List.of(), List.of("note"), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table gold/t: key column 'note' must not be nullable");
  }

  @Test
  void rejectsRepeatedColumnsAndExpectations() {
    assertThatThrownBy(() -> table("gold/t", List.of("day", "day"), List.of(), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table gold/t: partition column 'day' is listed twice");
    Expectation rule = new Expectation("positive", "price > 0", ExpectationAction.WARN);
    assertThatThrownBy(
            () ->
                new TableDef(
                    "gold/t",
                    Layer.GOLD,
                    "gold/t",
                    SCHEMA,
                    List.of(),
                    List.of(),
                    WriteMode.APPEND,
                    List.of(rule, rule),
                    "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table gold/t: expectation 'positive' is listed twice");
  }

  @Test
  void requiresWhatTheWriteModeNeeds() {
    assertThatThrownBy(() -> table("gold/t", List.of("day"), List.of(), WriteMode.UPSERT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table gold/t: write mode UPSERT needs key columns");
    assertThatThrownBy(
            () -> table("gold/t", List.of(), List.of("symbol"), WriteMode.REPLACE_PARTITIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table gold/t: write mode REPLACE_PARTITIONS needs partition columns");
  }

  @Test
  void rejectsMalformedIdsLayersAndPaths() {
    assertThatThrownBy(() -> table("gold/Bars", List.of(), List.of(), WriteMode.APPEND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table id 'gold/Bars' must be <bronze|silver|gold>/<snake_case_name>");
    assertThatThrownBy(
            () ->
                new TableDef(
                    "silver/t",
                    Layer.GOLD,
                    "silver/t",
                    SCHEMA,
                    List.of(),
                    List.of(),
                    WriteMode.APPEND,
                    List.of(),
                    "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table silver/t: the id does not start with its layer 'gold/'");
    assertThatThrownBy(
            () ->
                new TableDef(
                    "gold/t",
                    Layer.GOLD,
                    "/gold/t",
                    SCHEMA,
                    List.of(),
                    List.of(),
                    WriteMode.APPEND,
                    List.of(),
                    "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table gold/t: path '/gold/t' must be relative to the lake root, without '..'");
  }

  @Test
  void expectationsCheckTheirFields() {
    assertThatThrownBy(() -> new Expectation("Valid Symbol", "x", ExpectationAction.DROP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expectation name must be snake_case, got 'Valid Symbol'");
    assertThatThrownBy(() -> new Expectation("valid_symbol", " ", ExpectationAction.DROP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expectation 'valid_symbol' has a blank rule");
    assertThat(ExpectationAction.FAIL.label()).isEqualTo("fail");
  }
}
