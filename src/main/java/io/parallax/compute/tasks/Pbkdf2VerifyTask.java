package io.parallax.compute.tasks;

import io.parallax.compute.ComputeTask;
import io.parallax.compute.ParamSpec;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Checks a password against a PBKDF2-SHA256 PHC string, comparing in constant time. */
public final class Pbkdf2VerifyTask implements ComputeTask {

  private static final List<ParamSpec> PARAMS = List.of(
      ParamSpec.string("password", 1024, "the password to check, at most 1 KiB of UTF-8"),
      ParamSpec.string("phc", 2048, "$pbkdf2-sha256$i=<iterations>$<salt>$<key>, as pbkdf2 returns it"));

  @Override
  public String name() {
    return "pbkdf2-verify";
  }

  @Override
  public String description() {
    return "Checks a password against a PBKDF2-SHA256 PHC string.";
  }

  @Override
  public List<ParamSpec> params() {
    return PARAMS;
  }

  @Override
  public void checkParams(JsonObject params) {
    Phc.parse(params.getString("phc"), Pbkdf2Task.MAX_ITERATIONS, Pbkdf2Task.MAX_KEY_LENGTH);
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    Phc phc = Phc.parse(params.getString("phc"), Pbkdf2Task.MAX_ITERATIONS, Pbkdf2Task.MAX_KEY_LENGTH);
    byte[] candidate = Pbkdf2Sha256.derive(params.getString("password").getBytes(StandardCharsets.UTF_8), phc.salt(),
        phc.iterations(), phc.key().length, context);
    return TaskResult.json(new JsonObject().put("match", MessageDigest.isEqual(candidate, phc.key())));
  }
}
