package io.parallax.compute.tasks;

import io.parallax.compute.ComputeTask;
import io.parallax.compute.ParamSpec;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Hashes a password with PBKDF2-HMAC-SHA256 and answers the key, the salt and a PHC string. */
public final class Pbkdf2Task implements ComputeTask {

  static final long DEFAULT_ITERATIONS = 600_000;
  static final long MAX_ITERATIONS = 10_000_000;
  static final int MAX_KEY_LENGTH = 256;
  static final int RANDOM_SALT_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<ParamSpec> PARAMS = List.of(
      ParamSpec.string("password", 1024, "the password, at most 1 KiB of UTF-8"),
      ParamSpec.optionalBase64("salt", 1, 1024, "base64 salt; 16 random bytes when absent"),
      ParamSpec.integer("iterations", DEFAULT_ITERATIONS, 1, MAX_ITERATIONS, "PBKDF2 iteration count"),
      ParamSpec.integer("keyLength", 32L, 1, MAX_KEY_LENGTH, "derived key length in bytes"));

  @Override
  public String name() {
    return "pbkdf2";
  }

  @Override
  public String description() {
    return "Hashes a password with PBKDF2-HMAC-SHA256.";
  }

  @Override
  public List<ParamSpec> params() {
    return PARAMS;
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    byte[] salt = params.containsKey("salt") ? Base64.getDecoder().decode(params.getString("salt")) : randomSalt();
    int iterations = params.getLong("iterations").intValue();
    byte[] key = Pbkdf2Sha256.derive(params.getString("password").getBytes(StandardCharsets.UTF_8), salt, iterations,
        params.getLong("keyLength").intValue(), context);
    return TaskResult.json(describe(iterations, salt, key));
  }

  static JsonObject describe(int iterations, byte[] salt, byte[] key) {
    return new JsonObject()
        .put("key", HexFormat.of().formatHex(key))
        .put("salt", Base64.getEncoder().encodeToString(salt))
        .put("iterations", iterations)
        .put("phc", Phc.format(iterations, salt, key));
  }

  static byte[] randomSalt() {
    byte[] salt = new byte[RANDOM_SALT_BYTES];
    RANDOM.nextBytes(salt);
    return salt;
  }
}
