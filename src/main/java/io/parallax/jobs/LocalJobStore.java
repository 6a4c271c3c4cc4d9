package io.parallax.jobs;

import io.parallax.compute.TaskResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job store of a standalone node: concurrent maps shared by the coordinator (writer) and the HTTP
 * verticles (readers). Statuses are replaced whole, never changed in place, so readers need no locks.
 */
public final class LocalJobStore implements JobStore {

  private static final Comparator<JsonObject> NEWEST_FIRST =
      Comparator.comparing((JsonObject status) -> status.getString("createdAt")).reversed();

  private final Map<String, JsonObject> statuses = new ConcurrentHashMap<>();
  private final Map<String, TaskResult> results = new ConcurrentHashMap<>();

  @Override
  public Future<Void> saveStatus(JsonObject status) {
    statuses.put(status.getString("id"), status);
    return Future.succeededFuture();
  }

  @Override
  public Future<JsonObject> status(String id) {
    return Future.succeededFuture(statuses.get(id));
  }

  @Override
  public Future<List<JsonObject>> list(JobState state, int limit) {
    return Future.succeededFuture(statuses.values().stream()
        .filter(status -> state == null || state.name().equals(status.getString("state")))
        .sorted(NEWEST_FIRST)
        .limit(limit)
        .toList());
  }

  @Override
  public Future<Void> saveResult(String id, TaskResult result) {
    results.put(id, result);
    return Future.succeededFuture();
  }

  @Override
  public Future<TaskResult> result(String id) {
    return Future.succeededFuture(results.get(id));
  }

  @Override
  public Future<Void> remove(String id) {
    statuses.remove(id);
    results.remove(id);
    return Future.succeededFuture();
  }
}
