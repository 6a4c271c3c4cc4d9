package io.parallax.compute.tasks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SHA-256 digest that absorbed one 64-byte block (an HMAC's padded key) and can go back to that state before
 * each message, so every HMAC costs two compressions instead of four.
 *
 * <p>Two ways to go back, both hashing with the JDK's own SHA-256 (intrinsified, using the CPU's SHA
 * instructions where present):
 * <ul>
 *   <li><b>in place</b>: copy the eight saved state words back into the JDK's digest. It allocates nothing,
 *       which matters: PBKDF2 with 100,000 iterations makes 200,000 HMACs, and cloning two digests for each
 *       allocates about 45 MB per hash, a young collection every few hashes on every core. It needs
 *       {@code java.base/sun.security.provider} opened to Parallax, which the fat jar's manifest does
 *       ({@code Add-Opens}), and is checked against the cloning way before first use;</li>
 *   <li><b>cloning</b>: {@link MessageDigest#clone()} of the saved digest, with public API only, used when the
 *       package is not opened (for example on a class path without {@code --add-opens}).</li>
 * </ul>
 */
abstract class Sha256State {

  static final int BLOCK = 64;
  static final int LENGTH = 32;

  private static final Logger LOG = LoggerFactory.getLogger(Sha256State.class);

  /** Back to the state right after the block given at creation. */
  abstract void restore();

  abstract void update(byte[] bytes, int offset, int length);

  /** Writes the digest of everything since the last restore into {@code out[0..32)}. */
  abstract void digestInto(byte[] out);

  /** A digest that absorbed {@code block} (64 bytes), restored in place where the JDK lets us. */
  static Sha256State after(byte[] block) {
    return InPlace.AVAILABLE ? new InPlace(block) : new Cloning(block);
  }

  static Sha256State cloningAfter(byte[] block) {
    return new Cloning(block);
  }

  static boolean restoresInPlace() {
    return InPlace.AVAILABLE;
  }

  private static final class Cloning extends Sha256State {
    private final MessageDigest saved;
    private MessageDigest current;

    Cloning(byte[] block) {
      try {
        saved = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException impossible) {
        throw new IllegalStateException(impossible);
      }
      saved.update(block);
      restore();
    }

    @Override
    void restore() {
      try {
        current = (MessageDigest) saved.clone();
      } catch (CloneNotSupportedException impossible) {
        throw new IllegalStateException("SHA-256 digest cannot be cloned", impossible);
      }
    }

    @Override
    void update(byte[] bytes, int offset, int length) {
      current.update(bytes, offset, length);
    }

    @Override
    void digestInto(byte[] out) {
      try {
        current.digest(out, 0, LENGTH);
      } catch (DigestException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  /** Works on the JDK's {@code sun.security.provider.SHA2$SHA256} through handles found once. */
  private static final class InPlace extends Sha256State {
    private static final MethodHandle CREATE;
    private static final MethodHandle UPDATE;
    private static final MethodHandle DIGEST;
    private static final VarHandle STATE;
    private static final VarHandle BYTES_PROCESSED;
    private static final VarHandle BUFFER_OFFSET;
    static final boolean AVAILABLE;

    static {
      MethodHandle create = null;
      MethodHandle update = null;
      MethodHandle digest = null;
      VarHandle state = null;
      VarHandle processed = null;
      VarHandle bufferOffset = null;
      boolean available = false;
      try {
        Class<?> sha256 = Class.forName("sun.security.provider.SHA2$SHA256");
        Class<?> sha2 = sha256.getSuperclass();
        Class<?> base = sha2.getSuperclass();
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(base, MethodHandles.lookup());
        create = lookup.findConstructor(sha256, MethodType.methodType(void.class)).asType(
            MethodType.methodType(Object.class));
        update = lookup.findVirtual(base, "engineUpdate", MethodType.methodType(void.class, byte[].class,
            int.class, int.class)).asType(MethodType.methodType(void.class, Object.class, byte[].class, int.class,
            int.class));
        digest = lookup.findVirtual(base, "engineDigest", MethodType.methodType(int.class, byte[].class, int.class,
            int.class)).asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
        state = MethodHandles.privateLookupIn(sha2, MethodHandles.lookup()).findVarHandle(sha2, "state", int[].class);
        processed = lookup.findVarHandle(base, "bytesProcessed", long.class);
        bufferOffset = lookup.findVarHandle(base, "bufOfs", int.class);
        available = true;
      } catch (ReflectiveOperationException | RuntimeException closed) {
        LOG.info("PBKDF2 clones SHA-256 digests (about 1.4x slower): run with --add-opens "
            + "java.base/sun.security.provider=ALL-UNNAMED, as the jar's manifest does, to restore them in place");
        LOG.debug("Why the in-place path is unavailable", closed);
      }
      CREATE = create;
      UPDATE = update;
      DIGEST = digest;
      STATE = state;
      BYTES_PROCESSED = processed;
      BUFFER_OFFSET = bufferOffset;
      AVAILABLE = available && agreesWithCloning();
    }

    private final Object digest;
    private final int[] liveState;
    private final int[] savedState;

    InPlace(byte[] block) {
      try {
        digest = CREATE.invokeExact();
      } catch (Throwable impossible) {
        throw new IllegalStateException(impossible);
      }
      update(block, 0, block.length);
      liveState = (int[]) STATE.get(digest);
      savedState = liveState.clone();
    }

    @Override
    void restore() {
      // A digest resets the JDK's state to SHA-256's initial words in this same array.
      System.arraycopy(savedState, 0, liveState, 0, savedState.length);
      BYTES_PROCESSED.set(digest, (long) BLOCK);
      BUFFER_OFFSET.set(digest, 0);
    }

    @Override
    void update(byte[] bytes, int offset, int length) {
      try {
        UPDATE.invokeExact(digest, bytes, offset, length);
      } catch (Throwable impossible) {
        throw new IllegalStateException(impossible);
      }
    }

    @Override
    void digestInto(byte[] out) {
      try {
        int written = (int) DIGEST.invokeExact(digest, out, 0, LENGTH);
        assert written == LENGTH;
      } catch (Throwable impossible) {
        throw new IllegalStateException(impossible);
      }
    }

    /** Guards against a JDK whose internals look the same but behave differently. */
    private static boolean agreesWithCloning() {
      try {
        byte[] block = new byte[BLOCK];
        Arrays.fill(block, (byte) 0x36);
        byte[] message = "parallax".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] expected = new byte[LENGTH];
        byte[] actual = new byte[LENGTH];
        Sha256State reference = new Cloning(block);
        Sha256State inPlace = new InPlace(block);
        for (int round = 0; round < 3; round++) {
          reference.restore();
          reference.update(message, 0, message.length);
          reference.digestInto(expected);
          inPlace.restore();
          inPlace.update(message, 0, message.length);
          inPlace.digestInto(actual);
          if (!Arrays.equals(expected, actual)) {
            LOG.warn("SHA-256 states restored in place disagree with cloned ones; cloning instead");
            return false;
          }
        }
        return true;
      } catch (RuntimeException broken) {
        LOG.debug("SHA-256 states are cloned, not restored in place: {}", broken.toString());
        return false;
      }
    }
  }
}
