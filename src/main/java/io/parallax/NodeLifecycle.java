package io.parallax;

import java.util.concurrent.atomic.AtomicReference;

/** Where the node is in its life; read by the HTTP verticles for readiness and to refuse work while draining. */
public final class NodeLifecycle {

  /** The phases, in the order a node goes through them. */
  public enum Phase { STARTING, READY, DRAINING, STOPPED }

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);

  public Phase phase() {
    return phase.get();
  }

  public boolean isReady() {
    return phase.get() == Phase.READY;
  }

  public boolean isDraining() {
    Phase now = phase.get();
    return now == Phase.DRAINING || now == Phase.STOPPED;
  }

  void moveTo(Phase next) {
    phase.updateAndGet(current -> next.ordinal() > current.ordinal() ? next : current);
  }
}
