package io.parallax.support;

import io.parallax.compute.ParamSpec;
import io.parallax.compute.SplittableTask;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskException;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only splittable task that fails on purpose: in mode "odd-once" every odd chunk throws on its first
 * attempt (a crash, so it is retried); in mode "invalid" chunk 1 rejects its input (so the job fails at once) and no other chunk fails.
 */
public final class FlakyTask implements SplittableTask {

  private static final Map<String, Integer> ATTEMPTS = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "test-flaky";
  }

  @Override
  public String description() {
    return "Test only: chunks that fail on purpose.";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(
        ParamSpec.integer("chunks", 8L, 1, 1_000, "how many chunks"),
        ParamSpec.integer("run", 0L, 0, Long.MAX_VALUE, "a number that tells runs apart"),
        ParamSpec.integer("invalid", 0L, 0, 1, "1: chunk 1 rejects its input"));
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    return TaskResult.json(new JsonObject().put("sum", 0));
  }

  @Override
  public List<JsonObject> split(JsonObject params, int chunks) {
    List<JsonObject> parts = new ArrayList<>();
    for (int i = 0; i < params.getLong("chunks"); i++) {
      parts.add(new JsonObject().put("index", i).put("run", params.getLong("run"))
          .put("invalid", params.getLong("invalid")));
    }
    return parts;
  }

  @Override
  public TaskResult runChunk(JsonObject chunk, TaskContext context) {
    int index = chunk.getInteger("index");
    if (chunk.getLong("invalid") == 1) {
      // Only the rejection here: a crash of another chunk would race with it and count as a retry.
      if (index == 1) {
        throw TaskException.invalidParam("invalid", "chunk 1 does not like its input");
      }
      return TaskResult.json(new JsonObject().put("sum", index));
    }
    int attempt = ATTEMPTS.merge(chunk.getLong("run") + "/" + index, 1, Integer::sum);
    if (index % 2 == 1 && attempt == 1) {
      throw new IllegalStateException("injected failure of chunk " + index);
    }
    return TaskResult.json(new JsonObject().put("sum", index));
  }

  @Override
  public TaskResult merge(JsonObject params, List<JsonObject> chunks, List<TaskResult> results) {
    return TaskResult.json(new JsonObject().put("sum",
        results.stream().mapToLong(result -> result.json().getLong("sum")).sum()));
  }
}
