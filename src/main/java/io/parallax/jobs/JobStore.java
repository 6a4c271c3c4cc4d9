package io.parallax.jobs;

import io.parallax.compute.TaskResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Where jobs live between the coordinators, behind an asynchronous interface: node-local maps for a
 * standalone node, cluster-wide maps with backups in a cluster, so that any node can read any job and a
 * survivor can take over the jobs of a node that died.
 *
 * <ul>
 *   <li>status: the JSON of {@code GET /api/jobs/<id>}, written by the job's owner;</li>
 *   <li>spec: what an owner needs to run the job ({@code task}, {@code params}, {@code chunks}) and who the
 *       owner is ({@code owner}); ownership moves only by {@link #claim};</li>
 *   <li>chunk results, kept until the job is merged; the job's result, kept as long as its status.</li>
 * </ul>
 */
public interface JobStore {

  Future<Void> saveStatus(JsonObject status);

  /** The status of a job, or null when there is no such job (any more). */
  Future<JsonObject> status(String id);

  /** The newest jobs first, optionally only those in one state. */
  Future<List<JsonObject>> list(JobState state, int limit);

  Future<Void> saveSpec(JsonObject spec);

  /** Specs of the jobs not yet finished, for finding the ones an absent node owned. */
  Future<List<JsonObject>> specs();

  /** Moves the ownership of a job from {@code spec}'s owner to {@code newOwner}, if nobody did first. */
  Future<Boolean> claim(JsonObject spec, String newOwner);

  /**
   * Makes {@code newOwner} the coordinator of a finished job, if nobody did first: its status and result are
   * then that node's to evict.
   */
  Future<Boolean> claimFinished(JsonObject status, String newOwner);

  Future<Void> saveChunkResult(String id, int index, TaskResult result);

  /** A chunk's result, or null when it was not computed (or not stored) yet. */
  Future<TaskResult> chunkResult(String id, int index);

  Future<Void> saveResult(String id, TaskResult result);

  /** The result of a succeeded job, or null. */
  Future<TaskResult> result(String id);

  /** Forgets what running a job needed: its spec and its chunk results. */
  Future<Void> removeWorkingState(String id, int chunks);

  /** Forgets a job entirely. */
  Future<Void> remove(String id);
}
