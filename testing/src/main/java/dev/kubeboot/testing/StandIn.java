package dev.kubeboot.testing;

/**
 * A running stand-in for one control-plane component. Lifecycle: created started (serving on {@link
 * #port()}), then {@link #close()} stops serving and releases its threads; close is idempotent.
 */
sealed interface StandIn extends AutoCloseable permits ApiServerStandIn, ComponentStandIn {

  /** The port the HTTPS endpoint is bound to (the real one when the flag asked for port 0). */
  int port();

  @Override
  void close();
}
