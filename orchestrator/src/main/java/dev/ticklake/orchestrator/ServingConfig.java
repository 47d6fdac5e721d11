package dev.ticklake.orchestrator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code serving:} section: the read layer over the lake behind {@code /grafana} and {@code
 * /api/v1/market} (docs/grafana.md).
 */
public class ServingConfig {
  /** Most memory the read layer's result cache may hold (estimated); least recently used out. */
  @NotNull @JsonProperty public DataSize cacheMaxSize = DataSize.mebibytes(128);

  /**
   * How recently a query must have been read for the read layer to compute it again, in the
   * background, as soon as its table has a new version (refresh-ahead, docs/grafana.md); 0 turns it
   * off.
   */
  @NotNull
  @JsonProperty
  @JsonDeserialize(using = ConfigDurationDeserializer.class)
  public Duration refreshAhead = Duration.seconds(60);

  /** Widest time range one query may ask for. */
  @NotNull
  @JsonProperty
  @JsonDeserialize(using = ConfigDurationDeserializer.class)
  public Duration maxRange = Duration.days(366);

  /** Largest request body of the Grafana API; larger bodies get a 413. */
  @Min(1024)
  @JsonProperty
  public int maxBodyBytes = 65_536;

  /** Most rows one table answer carries (the newest are kept). */
  @Min(1)
  @JsonProperty
  public int maxTableRows = 10_000;

  /** Most Delta commits per table that pipeline metrics (freshness, rows per hop) look at. */
  @Min(1)
  @JsonProperty
  public int maxCommits = 500;

  /** Most runs or task tries one pipeline metric reads from the database. */
  @Min(1)
  @JsonProperty
  public int maxPipelineRows = 50_000;
}
