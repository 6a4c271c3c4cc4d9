package io.parallax.support;

import io.parallax.compute.ComputeTask;
import io.parallax.compute.ParamSpec;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only task: burns CPU on its worker until the test opens the gate (or its deadline passes), so a test
 * can hold every worker busy for exactly as long as it needs.
 */
public final class BlockingTask implements ComputeTask {

  private static final AtomicBoolean OPEN = new AtomicBoolean();
  private static final AtomicInteger RUNNING = new AtomicInteger();

  public static void close() {
    OPEN.set(false);
  }

  public static void open() {
    OPEN.set(true);
  }

  public static int running() {
    return RUNNING.get();
  }

  @Override
  public String name() {
    return "test-block";
  }

  @Override
  public String description() {
    return "Test only: spins until released.";
  }

  @Override
  public List<ParamSpec> params() {
    return List.of(ParamSpec.integer("id", 0L, 0, Long.MAX_VALUE, "an id echoed back"),
        ParamSpec.integer("ignoreDeadline", 0L, 0, 1, "1: never checks its deadline, like a badly written task"));
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    awaitGate(params.getLong("ignoreDeadline") == 1 ? TaskContext.UNBOUNDED : context);
    return TaskResult.json(new JsonObject().put("id", params.getLong("id")));
  }

  /** Burns CPU until the gate opens, checking the context as a real task would. */
  static void awaitGate(TaskContext context) {
    RUNNING.incrementAndGet();
    try {
      while (!OPEN.get()) {
        context.checkpoint();
        Thread.onSpinWait();
      }
    } finally {
      RUNNING.decrementAndGet();
    }
  }
}
