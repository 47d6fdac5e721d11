package dev.ticklake.orchestrator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.constraints.NotEmpty;

/**
 * Configuration of the TickLake service: Dropwizard's {@code server}, {@code logging} and {@code
 * metrics} sections plus TickLake's own settings.
 *
 * <p>Defaults: {@code lakeRoot} is {@code ./lake} (relative to the working directory).
 */
public class TickLakeConfiguration extends Configuration {

  /** Where every table lives; any Hadoop-supported URI ({@code file:}, {@code hdfs:}, ...). */
  @NotEmpty private String lakeRoot = "./lake";

  @JsonProperty
  public String getLakeRoot() {
    return lakeRoot;
  }

  @JsonProperty
  public void setLakeRoot(String lakeRoot) {
    this.lakeRoot = lakeRoot;
  }
}
