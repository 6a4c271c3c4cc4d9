package io.parallax.jobs;

import io.parallax.bus.Failure;
import io.parallax.compute.ComputeTask;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A job as its owning coordinator tracks it. Touched only on the coordinator's event loop. */
final class Job {

  /** Where a chunk is being computed; the token tells a current answer from a stale one. */
  record Assignment(String node, String worker, long token) {
  }

  final String id;
  final ComputeTask task;
  final JsonObject params;
  final List<JsonObject> chunks;
  final TaskResult[] results;
  final int[] attempts;
  final String[] lastFailedWorker;
  final ArrayDeque<Integer> pending = new ArrayDeque<>();
  final ArrayDeque<Integer> retries = new ArrayDeque<>();
  final Map<Integer, Assignment> assigned = new HashMap<>();
  final Map<String, Integer> chunksByNode = new LinkedHashMap<>();
  /** The workers' own time for the chunks that counted, summed. */
  long workNanos;
  Instant createdAt = Instant.now();

  String owner;
  JobState state = JobState.QUEUED;
  Instant startedAt;
  Instant finishedAt;
  long nextToken;
  int done;
  int failed;
  int retried;
  Failure error;
  TaskResult result;
  /** Whether the result is small enough to travel in the final progress event; measured off the event loop. */
  boolean resultFitsInEvent;
  boolean writingStatus;
  boolean statusDirty;

  Job(String id, ComputeTask task, JsonObject params, List<JsonObject> chunks, String owner) {
    this.id = id;
    this.task = task;
    this.params = params;
    this.chunks = chunks;
    this.owner = owner;
    this.results = new TaskResult[chunks.size()];
    this.attempts = new int[chunks.size()];
    this.lastFailedWorker = new String[chunks.size()];
    for (int i = 0; i < chunks.size(); i++) {
      pending.add(i);
    }
  }

  int total() {
    return chunks.size();
  }

  /** Chunks not yet computed: what this job still asks of the cluster's workers. */
  int remaining() {
    return total() - done;
  }

  boolean hasChunkToHandOut() {
    return !pending.isEmpty() || !retries.isEmpty();
  }

  /**
   * The next chunk for a worker: a retry first, unless {@code avoid} says that worker failed it; then a
   * fresh chunk. Null when there is none for this worker.
   */
  Integer takeChunkFor(Predicate<Integer> avoid) {
    for (Iterator<Integer> it = retries.iterator(); it.hasNext(); ) {
      Integer index = it.next();
      if (!avoid.test(index)) {
        it.remove();
        return index;
      }
    }
    return pending.poll();
  }

  long millis() {
    if (startedAt == null) {
      return 0;
    }
    Instant end = finishedAt == null ? Instant.now() : finishedAt;
    return end.toEpochMilli() - startedAt.toEpochMilli();
  }

  /** What another coordinator needs to take this job over. */
  JsonObject spec() {
    return new JsonObject()
        .put("id", id)
        .put("task", task.name())
        .put("params", params)
        .put("chunks", new JsonArray(chunks))
        .put("owner", owner);
  }

  /** The status served by {@code GET /api/jobs/<id>}. */
  JsonObject status() {
    JsonObject workers = new JsonObject();
    chunksByNode.forEach(workers::put);
    JsonObject status = new JsonObject()
        .put("id", id)
        .put("task", task.name())
        .put("state", state.name())
        .put("chunks", new JsonObject().put("total", total()).put("done", done).put("failed", failed)
            .put("retried", retried))
        .put("createdAt", createdAt.toString())
        .put("startedAt", startedAt == null ? null : startedAt.toString())
        .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("millis", millis())
        .put("workMillis", workNanos / 1_000_000L)
        .put("workers", workers)
        .put("coordinator", owner)
        .put("resultType", task.resultType());
    if (result != null && !result.isBinary()) {
      status.put("result", result.json());
    }
    if (error != null) {
      status.put("error", error.toJson().getJsonObject("error"));
    }
    return status;
  }
}
