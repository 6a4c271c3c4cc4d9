package io.parallax.bridge;

import io.parallax.bus.FailureException;
import io.parallax.bus.Timeouts;
import io.parallax.config.ParallaxConfig.BridgeSettings;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.util.HashMap;
import java.util.Map;

/**
 * One client's conversation with the event bus through a bridge, whatever carries its frames: the TCP
 * bridge's length-prefixed frames or the SockJS bridge's messages. Both speak the Vert.x bridge frames — a
 * JSON object {@code {type, address, replyAddress?, headers?, body}} with type {@code send}, {@code publish},
 * {@code register}, {@code unregister} or {@code ping} — and both entrances apply the same
 * {@link BridgePolicy} and the same bounds: requests awaiting a reply and registrations per connection.
 *
 * <p>A frame of the wrong shape gets an {@code err} frame and the connection is closed; a denied frame gets
 * {@code err} "access_denied" and the connection stays open. Runs on the event loop of its connection.
 */
public final class BridgeConversation {

  private static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  private static final long MAX_TIMEOUT_MILLIS = 300_000;
  private static final int TOO_MANY_REQUESTS = 429;
  private static final int BAD_REQUEST = 400;

  /** What carries a conversation's frames: a connection, and how a frame is put on it. */
  public abstract static class Channel {
    private boolean closed;

    protected abstract WriteStream<Buffer> stream();

    protected abstract Buffer encode(JsonObject frame);

    protected abstract void closeConnection();

    /** Sends one frame; a client that stops reading is disconnected rather than buffered for. */
    public final void write(JsonObject frame) {
      if (closed) {
        return;
      }
      if (stream().writeQueueFull()) {
        closed = true;
        closeConnection();
        return;
      }
      stream().write(encode(frame));
    }

    /** Sends a last frame, then closes the connection. */
    public final void writeAndClose(JsonObject frame) {
      if (!closed) {
        closed = true;
        stream().write(encode(frame)).onComplete(written -> closeConnection());
      }
    }

    /** Closes the connection without a word (for example when it has been idle too long). */
    public final void close() {
      if (!closed) {
        closed = true;
        closeConnection();
      }
    }

    public final boolean isClosed() {
      return closed;
    }
  }

  /** Where the two bridges' answers differ: what the SockJS client library expects is Vert.x's SockJS bridge. */
  public enum Dialect {
    /** The TCP bridge protocol: messages are "message", errors carry "message" and the address concerned. */
    TCP("message"),
    /** The SockJS bridge protocol: messages are "rec", errors not about a reply carry only a "body". */
    SOCKJS("rec");

    private final String messageType;

    Dialect(String messageType) {
      this.messageType = messageType;
    }

    /** An error about the connection or a frame as a whole, or about a frame's address. */
    public JsonObject error(String reason, String address) {
      JsonObject frame = new JsonObject().put("type", "err");
      if (this == SOCKJS) {
        return frame.put("body", reason);
      }
      frame.put("message", reason);
      return address == null ? frame : frame.put("address", address);
    }
  }

  private final Vertx vertx;
  private final BridgeSettings settings;
  private final BridgePolicy policy;
  private final Dialect dialect;
  private final Channel channel;
  private final boolean authorizedAtConnect;
  private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
  private int inFlight;
  private boolean closed;

  /**
   * @param authorizedAtConnect the client showed the token when it connected (SockJS: {@code ?token=}), so
   *                            its frames need not carry it
   */
  public BridgeConversation(Vertx vertx, BridgeSettings settings, BridgePolicy policy, Dialect dialect,
                            Channel channel, boolean authorizedAtConnect) {
    this.vertx = vertx;
    this.settings = settings;
    this.policy = policy;
    this.dialect = dialect;
    this.channel = channel;
    this.authorizedAtConnect = authorizedAtConnect;
  }

  /** Handles one decoded frame. */
  public void handle(JsonObject frame) {
    if (closed) {
      return;
    }
    Object type = frame.getValue("type");
    Object address = frame.getValue("address");
    Object headers = frame.getValue("headers");
    if (!(type instanceof String) || (headers != null && !(headers instanceof JsonObject))) {
      invalid("invalid_frame: type must be a string and headers an object");
      return;
    }
    if (type.equals("ping")) {
      if (dialect == Dialect.TCP) {
        write(new JsonObject().put("type", "pong"));
      }
      return;
    }
    if (!(address instanceof String target) || target.isEmpty()) {
      invalid("invalid_frame: address must be a non-empty string");
      return;
    }
    JsonObject headerObject = headers == null ? new JsonObject() : (JsonObject) headers;
    Object token = headerObject.remove("auth");
    if (!authorizedAtConnect && !policy.authorized(token instanceof String text ? text : null)) {
      write(dialect.error("access_denied: missing or wrong token", target));
      return;
    }
    switch ((String) type) {
      case "send" -> send(frame, target, headerObject);
      case "publish" -> publish(frame, target, headerObject);
      case "register" -> register(target);
      case "unregister" -> unregister(target);
      default -> invalid("invalid_frame: unknown type " + type);
    }
  }

  /** Ends the conversation: its registrations go, and nothing more is written. */
  public void close() {
    closed = true;
    registrations.values().forEach(MessageConsumer::unregister);
    registrations.clear();
  }

  /** A frame the conversation cannot read: an err frame, then the connection is closed. */
  public void invalid(String reason) {
    if (!closed) {
      closed = true;
      channel.writeAndClose(dialect.error(reason, null));
    }
  }

  private void send(JsonObject frame, String address, JsonObject headers) {
    if (!policy.permitsInbound(address)) {
      write(dialect.error("access_denied", address));
      return;
    }
    Object replyAddress = frame.getValue("replyAddress");
    Long timeout = timeout(headers);
    DeliveryOptions options = deliveryOptions(headers, timeout);
    if (replyAddress == null) {
      vertx.eventBus().send(address, frame.getValue("body"), options);
      return;
    }
    if (!(replyAddress instanceof String replyTo)) {
      invalid("invalid_frame: replyAddress must be a string");
      return;
    }
    if (inFlight >= settings.maxInFlight()) {
      write(replyError(replyTo, TOO_MANY_REQUESTS,
          "too_many_requests: at most " + settings.maxInFlight() + " awaiting a reply"));
      return;
    }
    if (timeout == null) {
      write(replyError(replyTo, BAD_REQUEST, "invalid_timeout: headers.timeout must be 1 to " + MAX_TIMEOUT_MILLIS
          + " ms"));
      return;
    }
    inFlight++;
    // A second more than the task's own timeout, so that a task's structured 504 arrives before ours.
    options.setSendTimeout(timeout + 1_000);
    vertx.eventBus().request(address, frame.getValue("body"), options).onComplete(reply -> {
      inFlight--;
      write(reply.succeeded() ? message(replyTo, reply.result()) : failure(replyTo, reply.cause()));
    });
  }

  private void publish(JsonObject frame, String address, JsonObject headers) {
    if (!policy.permitsInbound(address)) {
      write(dialect.error("access_denied", address));
      return;
    }
    vertx.eventBus().publish(address, frame.getValue("body"), deliveryOptions(headers, timeout(headers)));
  }

  private void register(String address) {
    if (!policy.permitsOutbound(address)) {
      write(dialect.error("access_denied", address));
      return;
    }
    if (registrations.containsKey(address)) {
      return;
    }
    if (registrations.size() >= settings.maxRegistrations()) {
      write(dialect.error("too_many_registrations: at most " + settings.maxRegistrations(), address));
      return;
    }
    registrations.put(address, vertx.eventBus().consumer(address, delivered -> write(message(address, delivered))));
  }

  private void unregister(String address) {
    MessageConsumer<Object> consumer = registrations.remove(address);
    if (consumer != null) {
      consumer.unregister();
    }
  }

  private JsonObject message(String address, Message<Object> message) {
    JsonObject frame = new JsonObject()
        .put("type", dialect.messageType).put("address", address).put("body", message.body());
    if (!message.headers().isEmpty()) {
      JsonObject headers = new JsonObject();
      message.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
      frame.put("headers", headers);
    }
    return frame;
  }

  /** An error for the client's reply handler: the shape both client libraries hand to the request's callback. */
  private static JsonObject replyError(String replyAddress, int code, String message) {
    return new JsonObject().put("type", "err").put("address", replyAddress).put("failureCode", code)
        .put("failureType", "RECIPIENT_FAILURE").put("message", message);
  }

  private static JsonObject failure(String replyAddress, Throwable cause) {
    if (cause instanceof ReplyException reply) {
      return new JsonObject().put("type", "err").put("address", replyAddress).put("failureCode", reply.failureCode())
          .put("failureType", reply.failureType().name()).put("message", reply.getMessage());
    }
    return replyError(replyAddress, -1, "failed");
  }

  /** The frame's headers as message headers; {@code timeout} is the headers' own, parsed, or null if invalid. */
  private static DeliveryOptions deliveryOptions(JsonObject headers, Long timeout) {
    DeliveryOptions options = new DeliveryOptions();
    MultiMap multiMap = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(header -> {
      if (header.getValue() != null && !"timeout".equals(header.getKey())) {
        multiMap.add(header.getKey(), String.valueOf(header.getValue()));
      }
    });
    // The task timeout travels on as the "timeout" header that tasks read.
    if (headers.containsKey("timeout") && timeout != null) {
      multiMap.add("timeout", Long.toString(timeout));
    }
    return options.setHeaders(multiMap);
  }

  /** The headers' timeout, or null when it is not a valid one. */
  private static Long timeout(JsonObject headers) {
    try {
      return Timeouts.parse(headers.getValue("timeout"), DEFAULT_TIMEOUT_MILLIS, MAX_TIMEOUT_MILLIS);
    } catch (FailureException invalid) {
      return null;
    }
  }

  private void write(JsonObject frame) {
    if (!closed) {
      channel.write(frame);
    }
  }
}
