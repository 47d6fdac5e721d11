package dev.ticklake.orchestrator.db;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the DAO tests: each subclass is a {@code @ParameterizedClass} over {@link #databases()},
 * so every test runs on H2 and on PostgreSQL, each time on a freshly migrated empty database built
 * the way the service builds it (Dropwizard's pooled data source, Flyway, {@link Jdbis}).
 */
abstract class DatabaseTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<TestDatabase> databases() {
    return Stream.of(new TestDatabase.H2(), new TestDatabase.Postgres());
  }

  final TestDatabase database;
  @TempDir Path tempDir;
  ManagedDataSource dataSource;
  Jdbi jdbi;

  DatabaseTest(TestDatabase database) {
    this.database = database;
  }

  @BeforeEach
  void migrateAFreshDatabase() throws Exception {
    dataSource = database.fresh(tempDir).build(new MetricRegistry(), "test");
    dataSource.start();
    Migrations.migrate(dataSource);
    jdbi = Jdbis.create(dataSource);
  }

  @AfterEach
  void dropIt() throws Exception {
    if (dataSource != null) {
      dataSource.stop();
    }
    database.cleanUp();
  }

  /**
   * Runs {@code n} copies of {@code task} released at the same instant (a start gate, no sleeps)
   * and returns their results; waits at most 60 s.
   */
  static <T> List<T> race(int n, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures =
          Stream.generate(
                  () ->
                      pool.submit(
                          () -> {
                            ready.countDown();
                            go.await();
                            return task.call();
                          }))
              .limit(n)
              .toList();
      ready.await(60, TimeUnit.SECONDS);
      go.countDown();
      List<T> results = new java.util.ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
