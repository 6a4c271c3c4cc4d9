package io.parallax.http;

import io.parallax.bridge.BridgePolicy;
import io.parallax.bridge.BridgeConversation;
import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.config.ParallaxConfig.BridgeSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SockJS event-bus bridge at {@code /eventbus}, for browsers and Node: SockJS carries the connection, and
 * each message is one bridge frame, handled by a {@link BridgeConversation} exactly as on the TCP bridge — the same
 * policy, the same bounds (requests awaiting a reply and registrations per connection) — answered in the
 * frames the Vert.x client library expects. Vert.x's own SockJS bridge could not bound a connection's
 * requests: its failed replies bypass the event hooks. The token may also come as a {@code token} query
 * parameter when connecting. A connection that sends nothing (clients ping every few seconds) for
 * {@code bridge.sockjsIdleTimeoutMs} is closed.
 */
final class SockJsBridge {

  private final Vertx vertx;
  /** Shared by this node's HTTP instances, owned by the node. */
  private final AtomicInteger connections;
  private final BridgeSettings settings;
  private final BridgePolicy policy;
  private final String allowedOrigin;

  SockJsBridge(Vertx vertx, BridgeSettings settings, BridgePolicy policy, AtomicInteger connections) {
    this.vertx = vertx;
    this.connections = connections;
    this.settings = settings;
    this.policy = policy;
    // Browsers send an origin as scheme://host[:port], never with a path or a trailing slash.
    this.allowedOrigin = settings.allowedOrigin().replaceAll("/+$", "");
  }

  /**
   * With {@code bridge.allowedOrigin} set, refuses a request to the bridge that names another web origin, on
   * every SockJS transport. Browsers send {@code Origin} on every cross-origin request, WebSocket or XHR, but
   * SockJS checks it only on its WebSocket transports and answers XHR from any origin with CORS headers. A
   * request without {@code Origin} comes from a same-origin page or from a program that is not a browser.
   */
  void refuseOtherOrigins(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (allowedOrigin.isEmpty() || origin == null || origin.equalsIgnoreCase(allowedOrigin)) {
      ctx.next();
      return;
    }
    ApiResponses.error(ctx, Failure.of(ErrorCode.ACCESS_DENIED, "this web origin may not use the bridge"));
  }

  Router router() {
    // SockJS's own origin option is left unset: refuseOtherOrigins checks every transport, and SockJS's check
    // would also refuse programs that send no Origin at all.
    SockJSHandlerOptions handlerOptions = new SockJSHandlerOptions().setMaxBytesStreaming(settings.maxFrameBytes());
    return SockJSHandler.create(vertx, handlerOptions).socketHandler(this::connected);
  }

  private void connected(SockJSSocket socket) {
    if (connections.incrementAndGet() > settings.maxConnections()) {
      connections.decrementAndGet();
      JsonObject refusal = BridgeConversation.Dialect.SOCKJS.error("too_many_connections", null);
      socket.write(refusal.toBuffer()).onComplete(written -> socket.close());
      return;
    }
    new Connection(socket, policy.authorized(tokenFromQuery(socket)));
  }

  /** One client's SockJS connection around its {@link BridgeConversation}. */
  private final class Connection extends BridgeConversation.Channel {
    private final SockJSSocket socket;
    private final BridgeConversation conversation;
    private final long idleCheck;
    private long lastFrameNanos = System.nanoTime();
    private boolean released;

    Connection(SockJSSocket socket, boolean authorizedAtConnect) {
      this.socket = socket;
      this.conversation = new BridgeConversation(vertx, settings, policy, BridgeConversation.Dialect.SOCKJS, this,
          authorizedAtConnect);
      // Checked four times per period, so a silent connection goes between 1 and 1.25 periods after its last frame.
      this.idleCheck = vertx.setPeriodic(Math.max(1, settings.sockjsIdleTimeoutMillis() / 4), id -> closeIfIdle());
      socket.handler(this::frame);
      socket.exceptionHandler(failure -> socket.close());
      socket.closeHandler(ended -> release());
    }

    private void frame(Buffer bytes) {
      lastFrameNanos = System.nanoTime();
      if (bytes.length() > settings.maxFrameBytes()) {
        conversation.invalid("invalid_frame_length: frames are at most " + settings.maxFrameBytes() + " bytes");
        return;
      }
      JsonObject frame;
      try {
        frame = new JsonObject(bytes);
      } catch (RuntimeException notAnObject) {
        conversation.invalid("invalid_frame: not a JSON object");
        return;
      }
      conversation.handle(frame);
    }

    private void closeIfIdle() {
      if (System.nanoTime() - lastFrameNanos > TimeUnit.MILLISECONDS.toNanos(settings.sockjsIdleTimeoutMillis())) {
        close();
        release(); // also when the transport reports no close, as some polling transports do not at once
      }
    }

    private void release() {
      if (!released) {
        released = true;
        vertx.cancelTimer(idleCheck);
        connections.decrementAndGet();
        conversation.close();
      }
    }

    @Override
    protected WriteStream<Buffer> stream() {
      return socket;
    }

    @Override
    protected Buffer encode(JsonObject frame) {
      return frame.toBuffer();
    }

    @Override
    protected void closeConnection() {
      socket.close();
    }
  }

  private static String tokenFromQuery(SockJSSocket socket) {
    String uri = socket.uri();
    int query = uri == null ? -1 : uri.indexOf('?');
    if (query < 0) {
      return null;
    }
    for (String pair : uri.substring(query + 1).split("&")) {
      if (pair.startsWith("token=")) {
        return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
