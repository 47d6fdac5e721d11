package dev.ticklake.orchestrator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> who(Authenticator a, String header) {
    return a.authenticate(header).map(ApiPrincipal::getName);
  }

  @Test
  void configuredPasswordAndTokens() {
    Authenticator a =
        new Authenticator(
            "admin", Optional.of("s3cret"), Optional.empty(), List.of("tok-one", " tok-two "));

    assertThat(who(a, basic("admin:s3cret"))).contains("user:admin");
    assertThat(who(a, "basic   " + basic("admin:s3cret").substring(6))).contains("user:admin");
    assertThat(who(a, "Bearer tok-one")).contains("token:tok-…");
    assertThat(who(a, "bearer tok-two")).contains("token:tok-…");
    assertThat(a.authenticate("Bearer tok-two").orElseThrow().scheme()).isEqualTo("Bearer");

    assertThat(who(a, null)).isEmpty();
    assertThat(who(a, "")).isEmpty();
    assertThat(who(a, basic("admin:wrong"))).isEmpty();
    assertThat(who(a, basic("root:s3cret"))).isEmpty();
    assertThat(who(a, basic("admin:s3cret "))).isEmpty();
    assertThat(who(a, basic("admins3cret"))).isEmpty();
    assertThat(who(a, "Basic !!!not-base64")).isEmpty();
    assertThat(who(a, "Bearer tok")).isEmpty();
    assertThat(who(a, "Bearer")).isEmpty();
    assertThat(who(a, "Digest tok-one")).isEmpty();
    assertThat(a.acceptsBasic()).isTrue();
    assertThat(a.acceptsBearer()).isTrue();
  }

  @Test
  void passwordWithColonsIsSplitAtTheFirstColon() {
    Authenticator a = new Authenticator("admin", Optional.of("a:b:c"), Optional.empty(), List.of());
    assertThat(who(a, basic("admin:a:b:c"))).contains("user:admin");
    assertThat(a.acceptsBearer()).isFalse();
    assertThat(who(a, "Bearer a:b:c")).isEmpty();
  }

  @Test
  void storedHashOfAGeneratedPassword() {
    String hash = PasswordHash.hash("generated-pw");
    Authenticator a = new Authenticator("admin", Optional.empty(), Optional.of(hash), List.of());

    assertThat(who(a, basic("admin:generated-pw"))).contains("user:admin");
    assertThat(who(a, basic("admin:generated-pw"))).contains("user:admin"); // remembered
    assertThat(who(a, basic("admin:generated-px"))).isEmpty();
    assertThat(who(a, basic("other:generated-pw"))).isEmpty();
  }

  @Test
  void tokensOnlyTurnsBasicOff() {
    Authenticator a = new Authenticator("admin", Optional.empty(), Optional.empty(), List.of("t"));
    assertThat(a.acceptsBasic()).isFalse();
    assertThat(who(a, basic("admin:"))).isEmpty();
    assertThat(who(a, "Bearer t")).contains("token:t…");
  }

  @Test
  void parsesCommaSeparatedTokens() {
    assertThat(Authenticator.parseTokens(" a, ,b ,, c")).containsExactly("a", "b", "c");
    assertThat(Authenticator.parseTokens("")).isEmpty();
    assertThat(Authenticator.parseTokens(null)).isEmpty();
  }

  @Test
  void passwordHashesAreSaltedAndVerifiable() {
    String h1 = PasswordHash.hash("pw");
    String h2 = PasswordHash.hash("pw");
    assertThat(h1).isNotEqualTo(h2).startsWith("pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$");
    assertThat(h1).doesNotContain("pw$");
    assertThat(PasswordHash.verify("pw", h1)).isTrue();
    assertThat(PasswordHash.verify("pw", h2)).isTrue();
    assertThat(PasswordHash.verify("pW", h1)).isFalse();
    assertThatThrownBy(() -> PasswordHash.verify("pw", "md5$abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "not a pbkdf2-sha256 password hash (expected pbkdf2-sha256$<iterations>$<salt>$<hash>)");
    assertThatThrownBy(() -> PasswordHash.verify("pw", "pbkdf2-sha256$x$AA==$AA=="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed pbkdf2-sha256 password hash: ");
    assertThat(PasswordHash.randomPassword(18)).hasSize(24).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void onlyMutatingCallsUnderApiNeedAuthenticationByDefault() {
    AccessPolicy open = new AccessPolicy(false);
    assertThat(open.apiRequiresAuthentication("POST", "api/v1/dags/x/runs")).isTrue();
    assertThat(open.apiRequiresAuthentication("PATCH", "/api/v1/dags/x")).isTrue();
    assertThat(open.apiRequiresAuthentication("DELETE", "api/v1/anything")).isTrue();
    assertThat(open.apiRequiresAuthentication("put", "api")).isTrue();
    assertThat(open.apiRequiresAuthentication("GET", "api/v1/dags")).isFalse();
    assertThat(open.apiRequiresAuthentication("HEAD", "api/v1/dags")).isFalse();
    assertThat(open.apiRequiresAuthentication("OPTIONS", "api/v1/dags")).isFalse();
    assertThat(open.apiRequiresAuthentication("GET", "api/v1/lineage/graph")).isFalse();
    assertThat(open.apiRequiresAuthentication("GET", "api/v1/runs/r/tasks/t/logs/1")).isFalse();
    assertThat(open.apiRequiresAuthentication("POST", "apix/v1")).isFalse();
    assertThat(open.apiRequiresAuthentication("POST", "grafana/query")).isFalse();
  }

  @Test
  void protectedReadsCoverLogsAndLineageOnly() {
    AccessPolicy strict = new AccessPolicy(true);
    assertThat(strict.apiRequiresAuthentication("GET", "api/v1/lineage")).isTrue();
    assertThat(strict.apiRequiresAuthentication("GET", "/api/v1/lineage/graph")).isTrue();
    assertThat(strict.apiRequiresAuthentication("GET", "api/v1/lineage/runs/r1")).isTrue();
    assertThat(strict.apiRequiresAuthentication("GET", "api/v1/runs/r/tasks/t/logs/2")).isTrue();
    assertThat(strict.apiRequiresAuthentication("GET", "api/v1/runs/r/tasks")).isFalse();
    assertThat(strict.apiRequiresAuthentication("GET", "api/v1/dags")).isFalse();
    assertThat(strict.apiRequiresAuthentication("GET", "api/v1/lineagex")).isFalse();
  }

  @Test
  void adminTasksAlwaysNeedAuthenticationOtherAdminPagesOnlyWhenReadsAreProtected() {
    AccessPolicy open = new AccessPolicy(false);
    AccessPolicy strict = new AccessPolicy(true);
    for (AccessPolicy policy : List.of(open, strict)) {
      assertThat(policy.adminRequiresAuthentication("/tasks/log-level")).isTrue();
      assertThat(policy.adminRequiresAuthentication("/tasks/gc")).isTrue();
      assertThat(policy.adminRequiresAuthentication("/tasks")).isTrue();
      assertThat(policy.adminRequiresAuthentication("/ping")).isFalse();
      assertThat(policy.adminRequiresAuthentication("/healthcheck")).isFalse();
    }
    assertThat(open.adminRequiresAuthentication("/threads")).isFalse();
    assertThat(strict.adminRequiresAuthentication("/threads")).isTrue();
    assertThat(strict.adminRequiresAuthentication("/metrics")).isTrue();
    assertThat(strict.adminRequiresAuthentication("/pprof")).isTrue();
    assertThat(strict.adminRequiresAuthentication("/")).isTrue();
  }
}
