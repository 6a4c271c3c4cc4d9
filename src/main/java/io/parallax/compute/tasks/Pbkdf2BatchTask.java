package io.parallax.compute.tasks;

import io.parallax.compute.ParamSpec;
import io.parallax.compute.SplittableTask;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskException;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Hashes a list of passwords with PBKDF2-HMAC-SHA256, each with its own random salt, in input order. */
public final class Pbkdf2BatchTask implements SplittableTask {

  static final int MAX_PASSWORDS = 100_000;
  /** About three seconds of hashing per chunk by default, whatever the iteration count. */
  private static final long ITERATIONS_PER_DEFAULT_CHUNK = 20_000_000;

  private static final List<ParamSpec> PARAMS = List.of(
      new ParamSpec("passwords", ParamSpec.Type.STRING_ARRAY, true, null, 1, MAX_PASSWORDS,
          "the passwords, each at most 1 KiB of UTF-8"),
      ParamSpec.integer("iterations", Pbkdf2Task.DEFAULT_ITERATIONS, 1, Pbkdf2Task.MAX_ITERATIONS,
          "PBKDF2 iteration count"),
      ParamSpec.integer("keyLength", 32L, 1, Pbkdf2Task.MAX_KEY_LENGTH, "derived key length in bytes"));

  @Override
  public String name() {
    return "pbkdf2-batch";
  }

  @Override
  public String description() {
    return "Hashes a list of passwords with PBKDF2-HMAC-SHA256, each with its own random salt.";
  }

  @Override
  public List<ParamSpec> params() {
    return PARAMS;
  }

  @Override
  public void checkParams(JsonObject params) {
    JsonArray passwords = params.getJsonArray("passwords");
    for (int i = 0; i < passwords.size(); i++) {
      if (passwords.getString(i).getBytes(StandardCharsets.UTF_8).length > 1024) {
        throw TaskException.invalidParam("passwords", "passwords[" + i + "] is longer than 1024 bytes");
      }
    }
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    return runChunk(params, context);
  }

  /** Contiguous slices of the list, so that merging is concatenation. */
  @Override
  public List<JsonObject> split(JsonObject params, int chunks) {
    JsonArray passwords = params.getJsonArray("passwords");
    int count = Math.min(chunks, passwords.size());
    List<JsonObject> slices = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int start = (int) ((long) passwords.size() * i / count);
      int end = (int) ((long) passwords.size() * (i + 1) / count);
      slices.add(new JsonObject()
          .put("passwords", new JsonArray(passwords.getList().subList(start, end)))
          .put("iterations", params.getLong("iterations"))
          .put("keyLength", params.getLong("keyLength"))
          .put("offset", start));
    }
    return slices;
  }

  @Override
  public TaskResult runChunk(JsonObject chunk, TaskContext context) {
    JsonArray passwords = chunk.getJsonArray("passwords");
    int iterations = chunk.getNumber("iterations").intValue();
    int keyLength = chunk.getNumber("keyLength").intValue();
    JsonArray hashes = new JsonArray();
    for (int i = 0; i < passwords.size(); i++) {
      context.checkpoint();
      byte[] salt = Pbkdf2Task.randomSalt();
      byte[] key = Pbkdf2Sha256.derive(passwords.getString(i).getBytes(StandardCharsets.UTF_8), salt, iterations,
          keyLength, context);
      hashes.add(Pbkdf2Task.describe(iterations, salt, key));
    }
    return TaskResult.json(new JsonObject().put("hashes", hashes));
  }

  @Override
  public TaskResult merge(JsonObject params, List<JsonObject> chunks, List<TaskResult> chunkResults) {
    JsonArray hashes = new JsonArray();
    chunkResults.forEach(result -> hashes.addAll(result.json().getJsonArray("hashes")));
    return TaskResult.json(new JsonObject().put("hashes", hashes));
  }

  @Override
  public JsonObject describeChunk(JsonObject chunk) {
    return new JsonObject().put("offset", chunk.getInteger("offset")).put("count", chunk.getJsonArray("passwords")
        .size());
  }

  @Override
  public int defaultChunks(JsonObject params, int workersInReach) {
    long totalIterations = params.getJsonArray("passwords").size() * params.getLong("iterations");
    return (int) Math.max(4L * workersInReach, Math.min(10_000, totalIterations / ITERATIONS_PER_DEFAULT_CHUNK));
  }

  @Override
  public int maxChunks(JsonObject params) {
    return params.getJsonArray("passwords").size();
  }
}
