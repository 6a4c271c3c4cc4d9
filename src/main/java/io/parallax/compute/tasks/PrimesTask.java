package io.parallax.compute.tasks;

import io.parallax.compute.ParamSpec;
import io.parallax.compute.SplittableTask;
import io.parallax.compute.TaskContext;
import io.parallax.compute.TaskException;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Counts the primes in {@code [from, to)}. */
public final class PrimesTask implements SplittableTask {

  public static final long MAX_TO = 1_000_000_000_000L;
  /** π(10^11) is about 25 s on one thread: as a job it spreads over every worker in reach. */
  public static final long MAX_SPAN = 100_000_000_000L;
  /** About a fifth of a second of sieving, so that big jobs spread evenly and report progress often. */
  private static final long DEFAULT_CHUNK_SPAN = 1L << 30;

  private static final List<ParamSpec> PARAMS = List.of(
      ParamSpec.integer("from", 0L, 0, MAX_TO - 1, "start of the range, inclusive"),
      ParamSpec.integer("to", 1_000_000L, 1, MAX_TO, "end of the range, exclusive; to - from <= 10^11"));

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
    return runChunk(params, context);
  }

  /** Equal sub-ranges: the sieve's cost per number barely changes across a range. */
  @Override
  public List<JsonObject> split(JsonObject params, int chunks) {
    long from = params.getLong("from");
    long span = params.getLong("to") - from;
    int count = (int) Math.min(chunks, span);
    List<JsonObject> ranges = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ranges.add(new JsonObject().put("from", from + span * i / count).put("to", from + span * (i + 1) / count));
    }
    return ranges;
  }

  @Override
  public TaskResult runChunk(JsonObject chunk, TaskContext context) {
    long count = PrimeCounter.count(chunk.getLong("from"), chunk.getLong("to"), context);
    return TaskResult.json(new JsonObject().put("count", count));
  }

  @Override
  public TaskResult merge(JsonObject params, List<JsonObject> chunks, List<TaskResult> chunkResults) {
    long total = chunkResults.stream().mapToLong(result -> result.json().getLong("count")).sum();
    return TaskResult.json(new JsonObject().put("count", total));
  }

  @Override
  public JsonObject describeChunk(JsonObject chunk) {
    return chunk.copy();
  }

  /** Four per worker, or more for wide ranges: chunks of at most about 10^9 numbers. */
  @Override
  public int defaultChunks(JsonObject params, int workersInReach) {
    long span = params.getLong("to") - params.getLong("from");
    return (int) Math.max(4L * workersInReach, (span + DEFAULT_CHUNK_SPAN - 1) / DEFAULT_CHUNK_SPAN);
  }

  @Override
  public int maxChunks(JsonObject params) {
    return (int) Math.min(Integer.MAX_VALUE, params.getLong("to") - params.getLong("from"));
  }
}
