package io.parallax.compute.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("PBKDF2-HMAC-SHA256")
class Pbkdf2Sha256Test {

  @Test
  @DisplayName("matches RFC 7914 section 11, vector 1 (passwd / salt / 1 iteration)")
  void rfc7914Vector1() {
    assertThat(hex(Pbkdf2Sha256.derive(utf8("passwd"), utf8("salt"), 1, 64, TaskContext.UNBOUNDED)))
        .isEqualTo("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  }

  @Test
  @DisplayName("matches RFC 7914 section 11, vector 2 (Password / NaCl / 80,000 iterations)")
  void rfc7914Vector2() {
    assertThat(hex(Pbkdf2Sha256.derive(utf8("Password"), utf8("NaCl"), 80_000, 64, TaskContext.UNBOUNDED)))
        .isEqualTo("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
            + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
  }

  @ParameterizedTest(name = "password of {0} bytes")
  @ValueSource(ints = {0, 1, 63, 64, 65, 200})
  @DisplayName("equals the JDK's PBKDF2WithHmacSHA256 for short, block-sized and long passwords")
  void matchesJdk(int passwordLength) throws Exception {
    Random random = new Random(passwordLength);
    String password = randomAscii(random, passwordLength);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    for (int keyLength : new int[] {1, 31, 32, 33, 100}) {
      byte[] ours = Pbkdf2Sha256.derive(utf8(password), salt, 1_000, keyLength, TaskContext.UNBOUNDED);
      assertThat(ours).isEqualTo(jdk(password, salt, 1_000, keyLength));
    }
  }

  @Test
  @DisplayName("restores SHA-256 states in place here (the package is opened as the jar's manifest does)")
  void restoresInPlace() {
    assertThat(Sha256State.restoresInPlace()).isTrue();
  }

  @Test
  @DisplayName("gives the same keys restoring states in place as cloning digests")
  void inPlaceMatchesCloning() {
    Random random = new Random(11);
    for (int i = 0; i < 50; i++) {
      byte[] password = new byte[random.nextInt(150)];
      byte[] salt = new byte[random.nextInt(40)];
      random.nextBytes(password);
      random.nextBytes(salt);
      int iterations = 1 + random.nextInt(300);
      int keyLength = 1 + random.nextInt(100);
      assertThat(Pbkdf2Sha256.derive(password, salt, iterations, keyLength, TaskContext.UNBOUNDED))
          .isEqualTo(Pbkdf2Sha256.deriveCloning(password, salt, iterations, keyLength, TaskContext.UNBOUNDED));
    }
  }

  @Test
  @DisplayName("matches RFC 7914 vector 2 when cloning digests too")
  void cloningMatchesVector() {
    assertThat(hex(Pbkdf2Sha256.deriveCloning(utf8("Password"), utf8("NaCl"), 80_000, 64, TaskContext.UNBOUNDED)))
        .isEqualTo("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
            + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
  }

  @Test
  @DisplayName("stops at a checkpoint once its context says so")
  void honoursCheckpoints() {
    TaskContext expired = () -> {
      throw new TaskException(io.parallax.bus.ErrorCode.TIMEOUT, "expired");
    };
    assertThatThrownBy(() -> Pbkdf2Sha256.derive(utf8("x"), utf8("salt"), 1_000_000, 32, expired))
        .isInstanceOf(TaskException.class);
  }

  private static byte[] jdk(String password, byte[] salt, int iterations, int keyLength) throws Exception {
    if (password.isEmpty()) {
      // The JDK refuses an empty password; HMAC with an empty key is still well defined, so compare with
      // the textbook definition through javax.crypto.Mac instead.
      return textbook(new byte[0], salt, iterations, keyLength);
    }
    SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    return factory.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, keyLength * 8))
        .getEncoded();
  }

  private static byte[] textbook(byte[] password, byte[] salt, int iterations, int keyLength) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    // SecretKeySpec refuses an empty key; one zero byte pads to the same HMAC key block.
    byte[] key = password.length == 0 ? new byte[1] : password;
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    byte[] out = new byte[keyLength];
    for (int block = 1, offset = 0; offset < keyLength; block++, offset += 32) {
      mac.update(salt);
      byte[] u = mac.doFinal(new byte[] {0, 0, 0, (byte) block});
      byte[] t = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = mac.doFinal(u);
        for (int j = 0; j < t.length; j++) {
          t[j] ^= u[j];
        }
      }
      System.arraycopy(t, 0, out, offset, Math.min(32, keyLength - offset));
    }
    return out;
  }

  private static String randomAscii(Random random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) (' ' + random.nextInt(95)));
    }
    return text.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
