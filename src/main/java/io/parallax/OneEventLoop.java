package io.parallax;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Deploys verticles that talk to each other on every chunk of work onto one event loop, as one deployment.
 * Each stays a verticle of its own; sharing the loop means a message between them is queued on the thread
 * already running instead of waking another one, and on a machine whose cores all run compute workers every
 * wake-up preempts a worker. They start in the order given and stop in reverse.
 */
final class OneEventLoop implements Deployable {

  private final List<VerticleBase> verticles;

  OneEventLoop(VerticleBase... verticles) {
    this.verticles = List.of(verticles);
  }

  @Override
  public Future<?> deploy(Context context) {
    Future<?> started = Future.succeededFuture();
    for (VerticleBase verticle : verticles) {
      started = started.compose(previous -> attempt(() -> verticle.deploy(context)));
    }
    return started;
  }

  @Override
  public Future<?> undeploy(Context context) {
    Future<?> stopped = Future.succeededFuture();
    for (int i = verticles.size() - 1; i >= 0; i--) {
      VerticleBase verticle = verticles.get(i);
      stopped = stopped.eventually(() -> attempt(() -> verticle.undeploy(context)));
    }
    return stopped;
  }

  /** A verticle's deploy or undeploy, whose declared exception becomes a failed future. */
  private static Future<?> attempt(Callable<Future<?>> step) {
    try {
      return step.call();
    } catch (Exception failure) {
      return Future.failedFuture(failure);
    }
  }
}
