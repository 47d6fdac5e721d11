package dev.ticklake.orchestrator.auth;

import dev.ticklake.orchestrator.db.Actor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an {@code Authorization} header against the configured credentials: {@code Basic} with the
 * admin user and its password (given in plain text by configuration, or as the stored hash of a
 * generated one) and {@code Bearer} with any of the API tokens. Thread-safe.
 *
 * <p>Every secret comparison is constant-time ({@link MessageDigest#isEqual} over SHA-256 digests,
 * so even the lengths do not leak), and every token is compared, not only up to the first match. A
 * verified generated password is remembered as an HMAC under a per-process random key, so only
 * wrong passwords pay for PBKDF2 on every request.
 */
public final class Authenticator {

  private final byte[] userDigest;
  private final String user;
  private final byte[] passwordDigest; // configured password, or null
  private final String storedHash; // hash of the generated password, or null
  private final List<byte[]> tokenDigests;
  private final List<String> tokens;
  private final byte[] macKey = new byte[32];
  private final AtomicReference<byte[]> verified = new AtomicReference<>();

  /**
   * @param user the admin user name
   * @param password the configured password, or empty
   * @param storedHash the {@link PasswordHash} of a generated password, or empty (ignored when a
   *     password is configured)
   * @param tokens bearer tokens (blank entries are ignored)
   */
  public Authenticator(
      String user, Optional<String> password, Optional<String> storedHash, List<String> tokens) {
    this.user = Objects.requireNonNull(user, "user");
    this.userDigest = PasswordHash.sha256(user);
    this.passwordDigest = password.filter(p -> !p.isEmpty()).map(PasswordHash::sha256).orElse(null);
    this.storedHash = passwordDigest == null ? storedHash.orElse(null) : null;
    List<String> ts = new ArrayList<>();
    List<byte[]> ds = new ArrayList<>();
    for (String t : tokens) {
      if (t != null && !t.isBlank()) {
        ts.add(t.strip());
        ds.add(PasswordHash.sha256(t.strip()));
      }
    }
    this.tokens = List.copyOf(ts);
    this.tokenDigests = List.copyOf(ds);
    new SecureRandom().nextBytes(macKey);
  }

  /** Splits {@code auth.apiTokens}: comma-separated, blanks ignored. */
  public static List<String> parseTokens(String commaSeparated) {
    if (commaSeparated == null) {
      return List.of();
    }
    return java.util.Arrays.stream(commaSeparated.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  public boolean acceptsBasic() {
    return passwordDigest != null || storedHash != null;
  }

  public boolean acceptsBearer() {
    return !tokenDigests.isEmpty();
  }

  public String user() {
    return user;
  }

  public int tokenCount() {
    return tokenDigests.size();
  }

  /** The caller named by {@code authorization}, or empty when it is missing or wrong. */
  public Optional<ApiPrincipal> authenticate(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String header = authorization.strip();
    int space = header.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
    String value = header.substring(space + 1).strip();
    return switch (scheme) {
      case "basic" -> basic(value);
      case "bearer" -> bearer(value);
      default -> Optional.empty();
    };
  }

  private Optional<ApiPrincipal> basic(String encoded) {
    if (!acceptsBasic()) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String givenUser = decoded.substring(0, colon);
    String givenPassword = decoded.substring(colon + 1);
    boolean userOk = MessageDigest.isEqual(userDigest, PasswordHash.sha256(givenUser));
    boolean passwordOk = passwordMatches(givenPassword);
    return userOk && passwordOk
        ? Optional.of(new ApiPrincipal(Actor.user(user), "Basic"))
        : Optional.empty();
  }

  private boolean passwordMatches(String given) {
    if (passwordDigest != null) {
      return MessageDigest.isEqual(passwordDigest, PasswordHash.sha256(given));
    }
    byte[] mac = mac(given);
    byte[] known = verified.get();
    if (known != null && MessageDigest.isEqual(known, mac)) {
      return true;
    }
    if (PasswordHash.verify(given, storedHash)) {
      verified.set(mac);
      return true;
    }
    return false;
  }

  private Optional<ApiPrincipal> bearer(String token) {
    byte[] given = PasswordHash.sha256(token);
    int match = -1;
    for (int i = 0; i < tokenDigests.size(); i++) {
      // no early exit: the time does not depend on which token matched
      if (MessageDigest.isEqual(tokenDigests.get(i), given) && match < 0) {
        match = i;
      }
    }
    return match < 0
        ? Optional.empty()
        : Optional.of(new ApiPrincipal(Actor.token(tokens.get(match)), "Bearer"));
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
