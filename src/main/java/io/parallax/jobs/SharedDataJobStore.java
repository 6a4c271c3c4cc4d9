package io.parallax.jobs;

import io.parallax.compute.TaskResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

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

  private final Vertx vertx;
  private final ConcurrentMap<String, AsyncMap<String, JsonObject>> maps = new ConcurrentHashMap<>();

  public SharedDataJobStore(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * The map of that name. The map is kept, not the future that brought it: a future completes its callers'
   * callbacks on the context that made it, so every job update would hop to another event loop and back.
   */
  private Future<AsyncMap<String, JsonObject>> map(String name) {
    AsyncMap<String, JsonObject> known = maps.get(name);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.sharedData().<String, JsonObject>getAsyncMap(name).onSuccess(map -> maps.putIfAbsent(name, map));
  }

  @Override
  public Future<Void> saveStatus(JsonObject status) {
    return map(STATUSES).compose(map -> map.put(status.getString("id"), status));
  }

  @Override
  public Future<JsonObject> status(String id) {
    return map(STATUSES).compose(map -> map.get(id));
  }

  @Override
  public Future<List<JsonObject>> list(JobState state, int limit) {
    return map(STATUSES).compose(AsyncMap::values).map(all -> all.stream()
        .filter(status -> state == null || state.name().equals(status.getString("state")))
        .sorted(NEWEST_FIRST)
        .limit(limit)
        .toList());
  }

  @Override
  public Future<Void> saveSpec(JsonObject spec) {
    return map(SPECS).compose(map -> map.put(spec.getString("id"), spec));
  }

  @Override
  public Future<List<JsonObject>> specs() {
    return map(SPECS).compose(AsyncMap::values);
  }

  @Override
  public Future<Boolean> claim(JsonObject spec, String newOwner) {
    return map(SPECS).compose(map ->
        map.replaceIfPresent(spec.getString("id"), spec, spec.copy().put("owner", newOwner)));
  }

  @Override
  public Future<Boolean> claimFinished(JsonObject status, String newOwner) {
    return map(STATUSES).compose(map ->
        map.replaceIfPresent(status.getString("id"), status, status.copy().put("coordinator", newOwner)));
  }

  @Override
  public Future<Void> saveChunkResult(String id, int index, TaskResult result) {
    return map(CHUNKS).compose(map -> map.put(chunkKey(id, index), toJson(result)));
  }

  @Override
  public Future<TaskResult> chunkResult(String id, int index) {
    return map(CHUNKS).compose(map -> map.get(chunkKey(id, index))).map(SharedDataJobStore::fromJson);
  }

  @Override
  public Future<Void> saveResult(String id, TaskResult result) {
    return map(RESULTS).compose(map -> map.put(id, toJson(result)));
  }

  @Override
  public Future<TaskResult> result(String id) {
    return map(RESULTS).compose(map -> map.get(id)).map(SharedDataJobStore::fromJson);
  }

  @Override
  public Future<Void> removeWorkingState(String id, int chunkCount) {
    List<Future<?>> removals = new ArrayList<>();
    removals.add(map(SPECS).compose(map -> map.remove(id)));
    for (int i = 0; i < chunkCount; i++) {
      String key = chunkKey(id, i);
      removals.add(map(CHUNKS).compose(map -> map.remove(key)));
    }
    return Future.join(removals).mapEmpty();
  }

  @Override
  public Future<Void> remove(String id) {
    return Future.join(map(STATUSES).compose(map -> map.remove(id)), map(RESULTS).compose(map -> map.remove(id)))
        .mapEmpty();
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
