package dev.ticklake.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class AdminCredentialDaoTest extends DatabaseTest {

  private AdminCredentialDao dao;

  AdminCredentialDaoTest(TestDatabase database) {
    super(database);
  }

  @BeforeEach
  void dao() {
    dao = new AdminCredentialDao(jdbi);
  }

  @Test
  void storesTheFirstHashOnlyAndReturnsItToLaterCallers() {
    assertThat(dao.findHash("admin")).isEmpty();

    assertThat(dao.insertIfAbsent("admin", "hash-1", T0)).isEqualTo("hash-1");
    assertThat(dao.insertIfAbsent("admin", "hash-2", T0.plusSeconds(1))).isEqualTo("hash-1");

    assertThat(dao.findHash("admin")).contains("hash-1");
    assertThat(dao.findHash("other")).isEmpty();
  }

  @Test
  void concurrentFirstStartsAgreeOnOneHash() throws Exception {
    AtomicInteger n = new AtomicInteger();
    List<String> stored = race(6, () -> dao.insertIfAbsent("admin", "h" + n.incrementAndGet(), T0));

    assertThat(stored).hasSize(6);
    assertThat(stored.stream().distinct().toList()).hasSize(1);
    assertThat(dao.findHash("admin")).contains(stored.get(0));
  }

  @Test
  void deleteForgetsTheHashSoTheNextStartGeneratesANewOne() {
    dao.insertIfAbsent("admin", "hash-1", T0);

    assertThat(dao.delete("admin")).isTrue();
    assertThat(dao.delete("admin")).isFalse();
    assertThat(dao.findHash("admin")).isEmpty();
    assertThat(dao.insertIfAbsent("admin", "hash-2", T0)).isEqualTo("hash-2");
  }
}
