package io.parallax.compute.tasks;

import io.parallax.compute.ComputeTask;
import io.parallax.compute.ParamSpec;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskException;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Counts the primes in {@code [from, to)}. */
public final class PrimesTask implements ComputeTask {

  public static final long MAX_TO = 1_000_000_000_000L;
  public static final long MAX_SPAN = 10_000_000_000L;

  private static final List<ParamSpec> PARAMS = List.of(
      ParamSpec.integer("from", 0L, 0, MAX_TO - 1, "start of the range, inclusive"),
      ParamSpec.integer("to", 1_000_000L, 1, MAX_TO, "end of the range, exclusive; to - from <= 10^10"));

  @Override
  public String name() {
    return "primes";
  }

  @Override
  public String description() {
    return "Counts the primes in [from, to) with a segmented sieve.";
  }

  @Override
  public List<ParamSpec> params() {
    return PARAMS;
  }

  @Override
  public void checkParams(JsonObject params) {
    long from = params.getLong("from");
    long to = params.getLong("to");
    if (from >= to) {
      throw TaskException.invalidParam("to", "to must be greater than from");
    }
    if (to - from > MAX_SPAN) {
      throw TaskException.invalidParam("to", "to - from must be at most " + MAX_SPAN);
    }
  }

  @Override
  public TaskResult run(JsonObject params, TaskContext context) {
    long count = PrimeCounter.count(params.getLong("from"), params.getLong("to"), context);
    return TaskResult.json(new JsonObject().put("count", count));
  }
}
