package io.parallax.compute.tasks;

import io.parallax.compute.TaskException;
import java.util.Base64;

/**
 * The PHC string format for PBKDF2-SHA256: {@code $pbkdf2-sha256$i=<iterations>$<salt>$<key>}, salt and key in
 * base64 without padding. Parsing also accepts passlib's variant, which writes '.' for '+'.
 */
record Phc(int iterations, byte[] salt, byte[] key) {

  private static final String PREFIX = "$pbkdf2-sha256$";

  static String format(int iterations, byte[] salt, byte[] key) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
  }

  static Phc parse(String text, long maxIterations, int maxKeyLength) {
    if (!text.startsWith(PREFIX)) {
      throw invalid("phc must start with " + PREFIX);
    }
    String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
    if (parts.length != 3 || !parts[0].startsWith("i=")) {
      throw invalid("phc must look like $pbkdf2-sha256$i=<iterations>$<salt>$<key>");
    }
    long iterations;
    try {
      iterations = Long.parseLong(parts[0].substring(2));
    } catch (NumberFormatException notANumber) {
      throw invalid("phc iteration count is not a number");
    }
    if (iterations < 1 || iterations > maxIterations) {
      throw invalid("phc iteration count must be between 1 and " + maxIterations);
    }
    byte[] salt = decode(parts[1], "salt");
    byte[] key = decode(parts[2], "key");
    if (salt.length == 0 || key.length == 0 || key.length > maxKeyLength) {
      throw invalid("phc salt must not be empty and key must be 1 to " + maxKeyLength + " bytes");
    }
    return new Phc((int) iterations, salt, key);
  }

  private static byte[] decode(String part, String what) {
    try {
      return Base64.getDecoder().decode(part.replace('.', '+'));
    } catch (IllegalArgumentException notBase64) {
      throw invalid("phc " + what + " is not valid base64");
    }
  }

  private static TaskException invalid(String message) {
    return TaskException.invalidParam("phc", message);
  }
}
