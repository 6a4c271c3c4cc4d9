package io.parallax.jobs;

import io.parallax.compute.TaskResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Where job statuses and results live, behind an asynchronous interface so that the same calls can be
 * served by a node-local map or by a cluster-wide one. Only the job coordinator writes; anyone may read.
 */
public interface JobStore {

  /** Stores the status of a job (the JSON of {@code GET /api/jobs/<id>}), replacing the previous one. */
  Future<Void> saveStatus(JsonObject status);

  /** The status of a job, or null when there is no such job (any more). */
  Future<JsonObject> status(String id);

  /** The newest jobs first, optionally only those in one state. */
  Future<List<JsonObject>> list(JobState state, int limit);

  Future<Void> saveResult(String id, TaskResult result);

  /** The result of a succeeded job, or null. */
  Future<TaskResult> result(String id);

  /** Forgets a job and its result. */
  Future<Void> remove(String id);
}
