package io.parallax.jobs;

import io.parallax.compute.TaskResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@link JobStore} on Vert.x shared data: plain local maps on a standalone node, Hazelcast maps (with the
 * backups that {@code conf/cluster.xml} gives every {@code parallax.*} map) in a cluster.
 */
public final class SharedDataJobStore implements JobStore {

  static final String STATUSES = "parallax.jobs.status";
  static final String SPECS = "parallax.jobs.spec";
  static final String CHUNKS = "parallax.jobs.chunk";
  static final String RESULTS = "parallax.jobs.result";

  private static final Comparator<JsonObject> NEWEST_FIRST =
      Comparator.comparing((JsonObject status) -> status.getString("createdAt")).reversed();

  private final Future<AsyncMap<String, JsonObject>> statuses;
  private final Future<AsyncMap<String, JsonObject>> specs;
  private final Future<AsyncMap<String, JsonObject>> chunks;
  private final Future<AsyncMap<String, JsonObject>> results;

  public SharedDataJobStore(Vertx vertx) {
    this.statuses = vertx.sharedData().getAsyncMap(STATUSES);
    this.specs = vertx.sharedData().getAsyncMap(SPECS);
    this.chunks = vertx.sharedData().getAsyncMap(CHUNKS);
    this.results = vertx.sharedData().getAsyncMap(RESULTS);
  }

  @Override
  public Future<Void> saveStatus(JsonObject status) {
    return statuses.compose(map -> map.put(status.getString("id"), status));
  }

  @Override
  public Future<JsonObject> status(String id) {
    return statuses.compose(map -> map.get(id));
  }

  @Override
  public Future<List<JsonObject>> list(JobState state, int limit) {
    return statuses.compose(AsyncMap::values).map(all -> all.stream()
        .filter(status -> state == null || state.name().equals(status.getString("state")))
        .sorted(NEWEST_FIRST)
        .limit(limit)
        .toList());
  }

  @Override
  public Future<Void> saveSpec(JsonObject spec) {
    return specs.compose(map -> map.put(spec.getString("id"), spec));
  }

  @Override
  public Future<List<JsonObject>> specs() {
    return specs.compose(AsyncMap::values);
  }

  @Override
  public Future<Boolean> claim(JsonObject spec, String newOwner) {
    return specs.compose(map -> map.replaceIfPresent(spec.getString("id"), spec, spec.copy().put("owner", newOwner)));
  }

  @Override
  public Future<Void> saveChunkResult(String id, int index, TaskResult result) {
    return chunks.compose(map -> map.put(chunkKey(id, index), toJson(result)));
  }

  @Override
  public Future<TaskResult> chunkResult(String id, int index) {
    return chunks.compose(map -> map.get(chunkKey(id, index))).map(SharedDataJobStore::fromJson);
  }

  @Override
  public Future<Void> saveResult(String id, TaskResult result) {
    return results.compose(map -> map.put(id, toJson(result)));
  }

  @Override
  public Future<TaskResult> result(String id) {
    return results.compose(map -> map.get(id)).map(SharedDataJobStore::fromJson);
  }

  @Override
  public Future<Void> removeWorkingState(String id, int chunkCount) {
    List<Future<?>> removals = new ArrayList<>();
    removals.add(specs.compose(map -> map.remove(id)));
    for (int i = 0; i < chunkCount; i++) {
      String key = chunkKey(id, i);
      removals.add(chunks.compose(map -> map.remove(key)));
    }
    return Future.join(removals).mapEmpty();
  }

  @Override
  public Future<Void> remove(String id) {
    return Future.join(statuses.compose(map -> map.remove(id)), results.compose(map -> map.remove(id))).mapEmpty();
  }

  private static String chunkKey(String id, int index) {
    return id + "/" + index;
  }

  /** Results travel as JSON: {@code {"json": {...}}} or {@code {"binary": <base64>, "mediaType"}}. */
  static JsonObject toJson(TaskResult result) {
    return result.isBinary()
        ? new JsonObject().put("binary", result.binary()).put("mediaType", result.mediaType())
        : new JsonObject().put("json", result.json());
  }

  static TaskResult fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    return json.containsKey("json")
        ? TaskResult.json(json.getJsonObject("json"))
        : new TaskResult(null, json.getBuffer("binary"), json.getString("mediaType"));
  }
}
