package io.parallax;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

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
  public Future<?> deploy(Context context) throws Exception {
    Future<?> started = Future.succeededFuture();
    for (VerticleBase verticle : verticles) {
      started = started.compose(previous -> deployOne(verticle, context));
    }
    return started;
  }

  @Override
  public Future<?> undeploy(Context context) throws Exception {
    Future<?> stopped = Future.succeededFuture();
    for (int i = verticles.size() - 1; i >= 0; i--) {
      VerticleBase verticle = verticles.get(i);
      stopped = stopped.eventually(() -> undeployOne(verticle, context));
    }
    return stopped;
  }

  private static Future<?> deployOne(VerticleBase verticle, Context context) {
    try {
      return verticle.deploy(context);
    } catch (Exception failure) {
      return Future.failedFuture(failure);
    }
  }

  private static Future<?> undeployOne(VerticleBase verticle, Context context) {
    try {
      return verticle.undeploy(context);
    } catch (Exception failure) {
      return Future.failedFuture(failure);
    }
  }
}
