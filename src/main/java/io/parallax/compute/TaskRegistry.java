package io.parallax.compute;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The tasks this node can run: every {@link ComputeTask} that {@link ServiceLoader} finds on the classpath. */
public final class TaskRegistry {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final Map<String, ComputeTask> tasks;

  private TaskRegistry(Map<String, ComputeTask> tasks) {
    this.tasks = Collections.unmodifiableMap(tasks);
  }

  public static TaskRegistry load() {
    return of(ServiceLoader.load(ComputeTask.class).stream().map(ServiceLoader.Provider::get).toList());
  }

  public static TaskRegistry of(Collection<? extends ComputeTask> tasks) {
    Map<String, ComputeTask> byName = new TreeMap<>();
    for (ComputeTask task : tasks) {
      if (!NAME.matcher(task.name()).matches()) {
        throw new IllegalStateException("task " + task.getClass().getName() + " has an invalid name '"
            + task.name() + "' (use lower case letters, digits and dashes)");
      }
      ComputeTask clash = byName.putIfAbsent(task.name(), task);
      if (clash != null) {
        throw new IllegalStateException("two tasks are named '" + task.name() + "': "
            + clash.getClass().getName() + " and " + task.getClass().getName());
      }
    }
    return new TaskRegistry(byName);
  }

  public Optional<ComputeTask> find(String name) {
    return Optional.ofNullable(tasks.get(name));
  }

  public Collection<ComputeTask> all() {
    return tasks.values();
  }

  /** Validates raw parameters for the named task, returning them with defaults filled in. */
  public JsonObject validate(ComputeTask task, JsonObject raw) {
    JsonObject params = ParamSpec.validate(task.params(), raw == null ? new JsonObject() : raw);
    task.checkParams(params);
    return params;
  }

  /** The catalogue served by {@code GET /api/tasks}. */
  public JsonArray describe() {
    JsonArray catalogue = new JsonArray();
    for (ComputeTask task : tasks.values()) {
      JsonArray params = new JsonArray();
      task.params().forEach(spec -> params.add(spec.describe()));
      catalogue.add(new JsonObject()
          .put("name", task.name())
          .put("description", task.description())
          .put("params", params)
          .put("resultType", task.resultType()));
    }
    return catalogue;
  }
}
