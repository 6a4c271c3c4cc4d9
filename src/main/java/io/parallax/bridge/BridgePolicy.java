package io.parallax.bridge;

import io.parallax.config.ParallaxConfig.BridgeSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The one permission policy of every entrance (SockJS, TCP, HTTP): which addresses clients may send to
 * (inbound), which they may receive from (outbound), and the optional token. Everything not listed is
 * denied, and Parallax's internal addresses and Vert.x's own are denied even when a pattern would match.
 */
public final class BridgePolicy {

  private final List<Predicate<String>> inbound;
  private final List<Predicate<String>> outbound;
  private final byte[] tokenDigest;

  private BridgePolicy(JsonArray inbound, JsonArray outbound, String token) {
    this.inbound = compile(inbound);
    this.outbound = compile(outbound);
    this.tokenDigest = token.isEmpty() ? null : sha256(token);
  }

  public static BridgePolicy of(BridgeSettings settings) {
    return new BridgePolicy(settings.inbound(), settings.outbound(), settings.token());
  }

  public boolean permitsInbound(String address) {
    return address != null && !internal(address) && inbound.stream().anyMatch(rule -> rule.test(address));
  }

  public boolean permitsOutbound(String address) {
    return address != null && !internal(address) && outbound.stream().anyMatch(rule -> rule.test(address));
  }

  public boolean tokenRequired() {
    return tokenDigest != null;
  }

  /** Whether a presented token opens the door; compared in constant time, through digests of equal length. */
  public boolean authorized(String presented) {
    if (tokenDigest == null) {
      return true;
    }
    return presented != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  /** The token from an {@code Authorization: Bearer <token>} header, or null. */
  public static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  private static boolean internal(String address) {
    return address.startsWith("parallax.internal.") || address.startsWith("__vertx.");
  }

  private static List<Predicate<String>> compile(JsonArray permissions) {
    List<Predicate<String>> rules = new ArrayList<>();
    for (Object entry : permissions) {
      JsonObject permission = (JsonObject) entry;
      if (permission.containsKey("address")) {
        String exact = permission.getString("address");
        rules.add(exact::equals);
      } else {
        Pattern pattern = Pattern.compile(permission.getString("addressRegex"));
        rules.add(address -> pattern.matcher(address).matches());
      }
    }
    return rules;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
