package dev.ticklake.orchestrator.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2 (HMAC-SHA256) password hashes as text: {@code pbkdf2-sha256$<iterations>$<salt
 * base64>$<hash base64>}. Pure and thread-safe.
 *
 * <p>{@link #verify} compares in constant time and costs the same for a wrong password as for a
 * right one, so neither timing nor a stored hash gives the password away cheaply.
 */
public final class PasswordHash {

  public static final String SCHEME = "pbkdf2-sha256";

  /** Iterations of new hashes (each verification costs as many HMACs). */
  public static final int ITERATIONS = 120_000;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHash() {}

  /** A new hash of {@code password} with a random salt. */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return format(ITERATIONS, salt, pbkdf2(password, salt, ITERATIONS));
  }

  /**
   * Whether {@code password} matches {@code stored}.
   *
   * @throws IllegalArgumentException if {@code stored} is not a hash of this format
   */
  public static boolean verify(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      throw new IllegalArgumentException(
          "not a "
              + SCHEME
              + " password hash (expected "
              + SCHEME
              + "$<iterations>$<salt>$<hash>)");
    }
    int iterations;
    byte[] salt;
    byte[] expected;
    try {
      iterations = Integer.parseInt(parts[1]);
      salt = Base64.getDecoder().decode(parts[2]);
      expected = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "malformed " + SCHEME + " password hash: " + e.getMessage());
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("malformed " + SCHEME + " password hash: iterations < 1");
    }
    return MessageDigest.isEqual(expected, pbkdf2(password, salt, iterations));
  }

  /** A random password of {@code bytes} random bytes, URL-safe base64 without padding. */
  public static String randomPassword(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String format(int iterations, byte[] salt, byte[] hash) {
    Base64.Encoder b64 = Base64.getEncoder();
    return SCHEME
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** SHA-256 of UTF-8 text: compared with {@link MessageDigest#isEqual}, lengths never leak. */
  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
