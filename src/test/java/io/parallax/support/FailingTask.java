package io.parallax.support;

import io.parallax.compute.ComputeTask;
import io.parallax.compute.ParamSpec;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Test-only task that fails the way a buggy task would: an exception, or a stack overflow. */
public final class FailingTask implements ComputeTask {

  @Override
  public String name() {
    return "test-fail";
  }

  @Override
  public String description() {
    return "Test only: throws (mode 0) or overflows its stack (mode 1).";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(ParamSpec.integer("mode", 0L, 0, 1, "0 = exception, 1 = stack overflow"));
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    if (params.getLong("mode") == 1) {
      return TaskResult.json(new JsonObject().put("depth", recurse(0)));
    }
    throw new IllegalStateException("boom");
  }

  private static long recurse(long depth) {
    return recurse(depth + 1) + 1;
  }
}
