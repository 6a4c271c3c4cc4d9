package io.parallax.compute;

/** What a running task can ask of its surroundings: whether it should stop. */
public interface TaskContext {

  /**
   * Throws {@link TaskException} with code {@code TIMEOUT} once the task's deadline has passed (or
   * once it was cancelled). Cheap: call it in inner loops.
   */
  void checkpoint();

  /** A context without deadline, for running a task directly (tests, benchmarks). */
  TaskContext UNBOUNDED = () -> { };
}
