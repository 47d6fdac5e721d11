package dev.ticklake.orchestrator.db;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code admin_credential} table: the hash of a generated admin password per user name.
 * Thread-safe; every method is one statement.
 */
public final class AdminCredentialDao {

  private final Jdbi jdbi;

  public AdminCredentialDao(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  /** The stored hash of {@code user}'s password, if one was generated. */
  public Optional<String> findHash(String user) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT password_hash FROM admin_credential WHERE user_name = :user")
                .bind("user", user)
                .mapTo(String.class)
                .findOne());
  }

  /**
   * Stores {@code hash} for {@code user} unless a hash is stored already. Returns the hash that is
   * stored after the call: {@code hash} if this call inserted it, else the existing one (two
   * processes starting at once agree on one password, the first one's).
   */
  public String insertIfAbsent(String user, String hash, Instant at) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO admin_credential (user_name, password_hash, created_at)"
                          + " VALUES (:user, :hash, :at)")
                  .bind("user", user)
                  .bind("hash", hash)
                  .bind("at", at)
                  .execute());
      return hash;
    } catch (RuntimeException e) {
      if (!Jdbis.isUniqueViolation(e)) {
        throw e;
      }
      return findHash(user).orElseThrow(() -> e);
    }
  }

  /** Forgets {@code user}'s generated password (the next start generates a new one). */
  public boolean delete(String user) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM admin_credential WHERE user_name = :user")
                    .bind("user", user)
                    .execute()
                == 1);
  }
}
