package io.parallax.support;

import io.parallax.compute.ParamSpec;
import io.parallax.compute.SplittableTask;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only splittable task: {@code items} units of work, each chunk spinning until the {@link BlockingTask}
 * gate opens, so a test controls exactly when a job's chunks may finish. The result counts the items.
 */
public final class GatedChunksTask implements SplittableTask {

  @Override
  public String name() {
    return "test-chunks";
  }

  @Override
  public String description() {
    return "Test only: chunks that wait for the test's gate.";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(ParamSpec.integer("items", 1L, 1, 100_000, "units of work"));
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    return runChunk(new JsonObject().put("from", 0).put("to", params.getLong("items")), context);
  }

  @Override
  public List<JsonObject> split(JsonObject params, int chunks) {
    long items = params.getLong("items");
    int count = (int) Math.min(chunks, items);
    List<JsonObject> parts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      parts.add(new JsonObject().put("from", items * i / count).put("to", items * (i + 1) / count));
    }
    return parts;
  }

  @Override
  public TaskResult runChunk(JsonObject chunk, TaskContext context) {
    BlockingTask.awaitGate(context);
    return TaskResult.json(new JsonObject().put("items", chunk.getLong("to") - chunk.getLong("from")));
  }

  @Override
  public TaskResult merge(JsonObject params, List<JsonObject> chunks, List<TaskResult> results) {
    return TaskResult.json(new JsonObject().put("items",
        results.stream().mapToLong(result -> result.json().getLong("items")).sum()));
  }

  @Override
  public int maxChunks(JsonObject params) {
    return params.getLong("items").intValue();
  }
}
