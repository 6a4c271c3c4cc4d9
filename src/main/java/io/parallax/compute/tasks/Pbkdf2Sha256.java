package io.parallax.compute.tasks;

import io.parallax.compute.TaskContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018). Each HMAC starts from the SHA-256 states that already absorbed the inner and
 * outer padded keys, instead of hashing those 64-byte blocks again on every iteration: half the compression
 * work of the textbook loop, and the JDK's intrinsified SHA-256 still does the hashing (see
 * {@link Sha256State} for how the states are restored without allocating).
 */
public final class Pbkdf2Sha256 {

  private static final int BLOCK = Sha256State.BLOCK;
  private static final int HASH = Sha256State.LENGTH;
  private static final int CHECK_EVERY = 1024;

  private Pbkdf2Sha256() {
  }

  public static byte[] derive(byte[] password, byte[] salt, int iterations, int keyLength, TaskContext context) {
    return derive(password, salt, iterations, keyLength, context, Sha256State::after);
  }

  /** The same with digests that are always cloned: the reference the in-place path is tested against. */
  static byte[] deriveCloning(byte[] password, byte[] salt, int iterations, int keyLength, TaskContext context) {
    return derive(password, salt, iterations, keyLength, context, Sha256State::cloningAfter);
  }

  private static byte[] derive(byte[] password, byte[] salt, int iterations, int keyLength, TaskContext context,
                               java.util.function.Function<byte[], Sha256State> states) {
    if (iterations < 1 || keyLength < 1) {
      throw new IllegalArgumentException("iterations and keyLength must be positive");
    }
    byte[] key = password.length > BLOCK ? sha256(password) : password;
    byte[] innerPad = new byte[BLOCK];
    byte[] outerPad = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte k = i < key.length ? key[i] : 0;
      innerPad[i] = (byte) (k ^ 0x36);
      outerPad[i] = (byte) (k ^ 0x5c);
    }
    Sha256State inner = states.apply(innerPad);
    Sha256State outer = states.apply(outerPad);

    byte[] derived = new byte[keyLength];
    byte[] u = new byte[HASH];
    byte[] t = new byte[HASH];
    int blocks = (keyLength + HASH - 1) / HASH;
    for (int block = 1; block <= blocks; block++) {
      inner.restore();
      inner.update(salt, 0, salt.length);
      inner.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block},
          0, 4);
      hmacFinish(inner, outer, u);
      System.arraycopy(u, 0, t, 0, HASH);
      for (int iteration = 1; iteration < iterations; iteration++) {
        if (iteration % CHECK_EVERY == 0) {
          context.checkpoint();
        }
        inner.restore();
        inner.update(u, 0, HASH);
        hmacFinish(inner, outer, u);
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
  private static void hmacFinish(Sha256State inner, Sha256State outer, byte[] out) {
    inner.digestInto(out);
    outer.restore();
    outer.update(out, 0, HASH);
    outer.digestInto(out);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
