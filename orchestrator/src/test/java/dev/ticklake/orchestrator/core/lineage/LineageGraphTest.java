package dev.ticklake.orchestrator.core.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticklake.orchestrator.core.lineage.LineageGraph.Direction;
import dev.ticklake.orchestrator.db.LineageDao;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineageGraphTest {

  private static final Dataset TOPIC = new Dataset("kafka://h:1", "market.ticks");
  private static final Dataset BRONZE = new Dataset("file", "/l/bronze/ticks");
  private static final Dataset SILVER = new Dataset("file", "/l/silver/ticks");
  private static final Dataset QUARANTINE = new Dataset("file", "/l/silver/quarantine");
  private static final Dataset BARS = new Dataset("file", "/l/gold/bars_1m");

  /** The medallion chain; build_gold also reads its own bars (history). */
  private static final LineageGraph GRAPH =
      new LineageGraph(
          "ticklake",
          List.of(
              new LineageDao.Edge("m", "ingest", true, TOPIC),
              new LineageDao.Edge("m", "ingest", false, BRONZE),
              new LineageDao.Edge("m", "silver", true, BRONZE),
              new LineageDao.Edge("m", "silver", false, SILVER),
              new LineageDao.Edge("m", "silver", false, QUARANTINE),
              new LineageDao.Edge("m", "gold", true, SILVER),
              new LineageDao.Edge("m", "gold", true, BARS),
              new LineageDao.Edge("m", "gold", false, BARS)));

  private static String ds(Dataset d) {
    return LineageGraph.datasetId(d);
  }

  private static String job(String task) {
    return LineageGraph.jobId("ticklake", "m", task);
  }

  private static List<String> ids(LineageGraph.Graph g) {
    return g.nodes().stream().map(LineageGraph.Node::id).toList();
  }

  @Test
  void upstreamOfADatasetCountsDepthInJobs() {
    LineageGraph.Graph one = GRAPH.around(ds(SILVER), 1, Direction.UPSTREAM);
    assertThat(ids(one)).containsExactly(ds(SILVER), job("silver"), ds(BRONZE));
    assertThat(one.edges())
        .containsExactly(
            new LineageGraph.Edge(job("silver"), ds(SILVER)),
            new LineageGraph.Edge(ds(BRONZE), job("silver")));

    LineageGraph.Graph two = GRAPH.around(ds(SILVER), 2, Direction.UPSTREAM);
    assertThat(ids(two))
        .containsExactly(ds(SILVER), job("silver"), ds(BRONZE), job("ingest"), ds(TOPIC));
    assertThat(two.nodes()).doesNotContain(LineageGraph.Node.dataset(QUARANTINE));
  }

  @Test
  void downstreamAndBothDirectionsFromADataset() {
    LineageGraph.Graph down = GRAPH.around(ds(BRONZE), 1, Direction.DOWNSTREAM);
    assertThat(ids(down)).containsExactly(ds(BRONZE), job("silver"), ds(SILVER), ds(QUARANTINE));

    LineageGraph.Graph both = GRAPH.around(ds(BRONZE), 1, Direction.BOTH);
    assertThat(ids(both))
        .containsExactly(
            ds(BRONZE), job("ingest"), ds(TOPIC), job("silver"), ds(SILVER), ds(QUARANTINE));
  }

  @Test
  void aJobRootAndACycleThroughTheHistoryTable() {
    LineageGraph.Graph gold = GRAPH.around(job("gold"), 1, Direction.BOTH);
    assertThat(ids(gold)).containsExactly(job("gold"), ds(SILVER), ds(BARS));
    assertThat(gold.edges())
        .containsExactlyInAnyOrder(
            new LineageGraph.Edge(ds(SILVER), job("gold")),
            new LineageGraph.Edge(ds(BARS), job("gold")),
            new LineageGraph.Edge(job("gold"), ds(BARS)));

    LineageGraph.Graph deep = GRAPH.around(ds(BARS), 20, Direction.UPSTREAM);
    assertThat(ids(deep))
        .containsExactly(
            ds(BARS), job("gold"), ds(SILVER), job("silver"), ds(BRONZE), job("ingest"), ds(TOPIC));
  }

  @Test
  void unknownRootIsRejected() {
    assertThat(GRAPH.contains(job("nope"))).isFalse();
    assertThatThrownBy(() -> GRAPH.around(job("nope"), 1, Direction.BOTH))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
