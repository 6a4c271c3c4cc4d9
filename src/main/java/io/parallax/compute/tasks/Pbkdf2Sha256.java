package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018). Each HMAC starts from the SHA-256 states that already absorbed the inner and
 * outer padded keys, instead of hashing those 64-byte blocks again on every iteration: half the compression
 * work of the textbook loop, and the JDK's intrinsified SHA-256 still does the hashing.
 */
public final class Pbkdf2Sha256 {

  private static final int BLOCK = 64;
  private static final int HASH = 32;
  private static final int CHECK_EVERY = 1024;

  private Pbkdf2Sha256() {
  }

  public static byte[] derive(byte[] password, byte[] salt, int iterations, int keyLength, TaskContext context) {
    if (iterations < 1 || keyLength < 1) {
      throw new IllegalArgumentException("iterations and keyLength must be positive");
    }
    MessageDigest innerStart = sha256();
    MessageDigest outerStart = sha256();
    byte[] key = password.length > BLOCK ? sha256().digest(password) : password;
    byte[] innerPad = new byte[BLOCK];
    byte[] outerPad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte k = i < key.length ? key[i] : 0;
      innerPad[i] = (byte) (k ^ 0x36);
      outerPad[i] = (byte) (k ^ 0x5c);
    }
    innerStart.update(innerPad);
    outerStart.update(outerPad);

    byte[] derived = new byte[keyLength];
    byte[] u = new byte[HASH];
    byte[] t = new byte[HASH];
    int blocks = (keyLength + HASH - 1) / HASH;
    for (int block = 1; block <= blocks; block++) {
      MessageDigest inner = copy(innerStart);
      inner.update(salt);
      inner.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
      hmacFinish(inner, outerStart, u);
      System.arraycopy(u, 0, t, 0, HASH);
      for (int iteration = 1; iteration < iterations; iteration++) {
        if (iteration % CHECK_EVERY == 0) {
          context.checkpoint();
        }
        inner = copy(innerStart);
        inner.update(u);
        hmacFinish(inner, outerStart, u);
        for (int i = 0; i < HASH; i++) {
          t[i] ^= u[i];
        }
      }
      int offset = (block - 1) * HASH;
      System.arraycopy(t, 0, derived, offset, Math.min(HASH, keyLength - offset));
    }
    return derived;
  }

  /** Completes HMAC = H(outerPad || H(innerPad || message)) into {@code out}. */
  private static void hmacFinish(MessageDigest inner, MessageDigest outerStart, byte[] out) {
    try {
      inner.digest(out, 0, HASH);
      MessageDigest outer = copy(outerStart);
      outer.update(out);
      outer.digest(out, 0, HASH);
    } catch (java.security.DigestException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException impossible) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", impossible);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
