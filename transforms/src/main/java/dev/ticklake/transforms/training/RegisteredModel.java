package dev.ticklake.transforms.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticklake.schemas.catalog.TableCatalog;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Rows of the model registry {@code gold/models}: built from an {@link Evaluation}, and read back
 * into a loadable {@link XgbModel}. The JSON columns are written with sorted, fixed-order maps so
 * that equal evaluations give byte-equal rows.
 */
public final class RegisteredModel {
  /** The schema of {@code gold/models}. */
  public static final Schema SCHEMA = TableCatalog.GOLD_MODELS.schema();

  private static final ObjectMapper JSON = new ObjectMapper();

  private RegisteredModel() {}

  /** What describes a training run besides its evaluation. */
  public record Context(
      String scope,
      String interval,
      long featuresVersion,
      Map<String, Object> params,
      String codeVersion,
      long createdAtMicros)
      implements java.io.Serializable {}

  /** The registry row of {@code e}, with the champion decision {@code decision}. */
  public static GenericRecord toRecord(
      Evaluation e, Context c, List<String> featureNames, ChampionPolicy.Decision decision) {
    byte[] booster = e.model().booster();
    String sha = sha256(booster);
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("model_id", modelId(e.kind(), c, sha));
    r.put("kind", e.kind().label());
    r.put("scope", c.scope());
    r.put("interval", c.interval());
    r.put("algorithm", "xgboost");
    Map<String, Object> params = new LinkedHashMap<>(c.params());
    params.put("rounds_used", e.model().rounds());
    r.put("params_json", json(params));
    r.put("feature_names_json", json(featureNames));
    r.put("features_version", c.featuresVersion());
    r.put("train_from", e.trainFrom());
    r.put("train_to", e.trainTo());
    r.put("rows_trained", e.rowsTrained());
    List<Map<String, Object>> folds = new ArrayList<>();
    for (Evaluation.FoldResult f : e.folds()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fold", f.fold().index());
      m.put("train_steps", List.of(f.fold().trainFrom(), f.fold().trainTo()));
      m.put("validation_steps", List.of(f.fold().validationFrom(), f.fold().validationTo()));
      m.put("test_steps", List.of(f.fold().testFrom(), f.fold().testTo()));
      m.put("test_from_micros", f.testFromMicros());
      m.put("test_to_micros", f.testToMicros());
      m.put("rounds", f.rounds());
      m.put("metrics", f.metrics());
      m.put("baselines", f.baselines());
      folds.add(m);
    }
    r.put("fold_metrics_json", json(folds));
    Map<String, Object> oos = new LinkedHashMap<>(e.oos());
    r.put("oos_metrics_json", json(oos));
    r.put("baseline_metrics_json", json(e.baselines()));
    r.put("importance_json", json(e.importance()));
    r.put("booster", ByteBuffer.wrap(booster));
    r.put("booster_sha256", sha);
    r.put("champion", decision.champion());
    r.put("champion_reason", decision.reason());
    r.put("code_version", c.codeVersion());
    r.put("created_at", c.createdAtMicros());
    return r;
  }

  /** {@code <kind>-<scope>-f<features version>-<first 12 hex of the booster's SHA-256>}. */
  static String modelId(ModelKind kind, Context c, String sha) {
    return kind.label() + "-" + c.scope() + "-f" + c.featuresVersion() + "-" + sha.substring(0, 12);
  }

  /** A copy of registry row {@code r} with its champion flag cleared and the reason given. */
  public static GenericRecord demoted(GenericRecord r, String reason) {
    GenericRecord copy = new GenericData.Record(SCHEMA);
    for (Schema.Field f : SCHEMA.getFields()) {
      copy.put(f.name(), r.get(f.name()));
    }
    copy.put("champion", false);
    copy.put("champion_reason", reason);
    return copy;
  }

  /**
   * The loadable model of registry row {@code r}.
   *
   * @throws IllegalStateException if the booster does not match its stored checksum
   */
  public static XgbModel model(GenericRecord r) {
    ByteBuffer buffer = ((ByteBuffer) r.get("booster")).duplicate();
    byte[] booster = new byte[buffer.remaining()];
    buffer.get(booster);
    String expected = r.get("booster_sha256").toString();
    if (!sha256(booster).equals(expected)) {
      throw new IllegalStateException(
          "model " + r.get("model_id") + ": booster bytes do not match their SHA-256 " + expected);
    }
    Map<String, Object> params = map(r.get("params_json").toString());
    return new XgbModel(
        ModelKind.of(r.get("kind").toString()),
        booster,
        ((Number) params.get("rounds_used")).intValue());
  }

  /** The headline out-of-sample metric of registry row {@code r}. */
  public static double headline(GenericRecord r) {
    ModelKind kind = ModelKind.of(r.get("kind").toString());
    return ((Number) map(r.get("oos_metrics_json").toString()).get(Evaluation.headline(kind)))
        .doubleValue();
  }

  /** The feature names of registry row {@code r}, in vector order. */
  public static List<String> featureNames(GenericRecord r) {
    try {
      return JSON.readValue(r.get("feature_names_json").toString(), new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable feature_names_json: " + e.getMessage(), e);
    }
  }

  static Map<String, Object> map(String json) {
    try {
      return JSON.readValue(json, new TypeReference<>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
