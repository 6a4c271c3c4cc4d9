package io.parallax.jobs;

/** The life of a job. */
public enum JobState {
  QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
