package io.parallax.jobs;

import io.parallax.bus.Failure;
import io.parallax.compute.ComputeTask;
import io.parallax.compute.TaskResult;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job as its coordinator tracks it. Touched only on the coordinator's event loop. */
final class Job {

  final String id;
  final ComputeTask task;
  final JsonObject params;
  final List<JsonObject> chunks;
  final TaskResult[] results;
  final int[] attempts;
  final String[] lastWorker;
  final ArrayDeque<Integer> retries = new ArrayDeque<>();
  final Map<String, Integer> chunksByNode = new LinkedHashMap<>();
  final Instant createdAt = Instant.now();

  JobState state = JobState.QUEUED;
  Instant startedAt;
  Instant finishedAt;
  int nextChunk;
  int outstanding;
  int done;
  int failed;
  int retried;
  Failure error;
  TaskResult result;

  Job(String id, ComputeTask task, JsonObject params, List<JsonObject> chunks) {
    this.id = id;
    this.task = task;
    this.params = params;
    this.chunks = chunks;
    this.results = new TaskResult[chunks.size()];
    this.attempts = new int[chunks.size()];
    this.lastWorker = new String[chunks.size()];
  }

  int total() {
    return chunks.size();
  }

  /** Chunks not yet computed: what this job still asks of the node's queue. */
  int remaining() {
    return total() - done;
  }

  boolean hasChunkToSend() {
    return !retries.isEmpty() || nextChunk < total();
  }

  int takeChunkToSend() {
    return retries.isEmpty() ? nextChunk++ : retries.poll();
  }

  long millis() {
    if (startedAt == null) {
      return 0;
    }
    Instant end = finishedAt == null ? Instant.now() : finishedAt;
    return end.toEpochMilli() - startedAt.toEpochMilli();
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
        .put("workers", workers)
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
