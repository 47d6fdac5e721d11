package dev.ticklake.orchestrator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * Configuration of the TickLake service: Dropwizard's {@code server}, {@code logging} and {@code
 * metrics} sections plus TickLake's own settings.
 *
 * <p>Defaults: {@code lakeRoot} is {@code ./lake} (relative to the working directory); {@code
 * database} is an H2 file database {@value #DEFAULT_DATABASE_URL}; {@code dagsFolder} is {@code
 * ./dags} and the DAGs shipped in the jar are loaded too ({@code loadShippedDags: true}).
 */
public class TickLakeConfiguration extends Configuration {

  /** Where every table lives; any Hadoop-supported URI ({@code file:}, {@code hdfs:}, ...). */
  @NotEmpty private String lakeRoot = "./lake";

  public static final String DEFAULT_DATABASE_URL =
      "jdbc:h2:file:./data/ticklake;AUTO_SERVER=FALSE";

  /** The orchestrator's database (runs, task instances, events); migrated at startup. */
  @Valid @NotNull private DataSourceFactory database = defaultDatabase();

  /** Folder of DAG YAML files; a missing folder means "no extra DAGs". */
  @NotEmpty private String dagsFolder = "./dags";

  /** Whether the DAGs shipped in the jar (classpath {@code dags/}) are loaded too. */
  private boolean loadShippedDags = true;

  static DataSourceFactory defaultDatabase() {
    DataSourceFactory factory = new DataSourceFactory();
    factory.setDriverClass("org.h2.Driver");
    factory.setUrl(DEFAULT_DATABASE_URL);
    factory.setUser("sa");
    factory.setPassword("");
    return factory;
  }

  @JsonProperty("database")
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty("database")
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }

  @JsonProperty
  public String getDagsFolder() {
    return dagsFolder;
  }

  @JsonProperty
  public void setDagsFolder(String dagsFolder) {
    this.dagsFolder = dagsFolder;
  }

  @JsonProperty
  public boolean isLoadShippedDags() {
    return loadShippedDags;
  }

  @JsonProperty
  public void setLoadShippedDags(boolean loadShippedDags) {
    this.loadShippedDags = loadShippedDags;
  }

  @JsonProperty
  public String getLakeRoot() {
    return lakeRoot;
  }

  @JsonProperty
  public void setLakeRoot(String lakeRoot) {
    this.lakeRoot = lakeRoot;
  }
}
