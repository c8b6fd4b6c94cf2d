package io.berth.manager.notify;

import io.berth.core.error.BerthException;
import io.berth.manager.identity.Users;
import java.net.URI;

/** One place a notification goes: a webhook URL or an e-mail address. Stored in the outbox as {@code webhook URL} / {@code email ADDRESS}. */
record Receiver(Kind kind, String target) {
  /** The two ways out. */
  enum Kind {
    WEBHOOK, EMAIL;

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  static Receiver webhook(String url) {
    return new Receiver(Kind.WEBHOOK, checkWebhook(url));
  }

  static Receiver email(String address) {
    String a = Users.checkEmail(address);
    if (a == null) throw new BerthException.Invalid("InvalidEmail", "an e-mail receiver needs an address");
    return new Receiver(Kind.EMAIL, a);
  }

  /** An http(s) URL with a host; anything else is refused in words (the rule names it, so its author reads this). */
  static String checkWebhook(String url) {
    URI u;
    try {
      u = URI.create(url == null ? "" : url.trim());
    } catch (IllegalArgumentException e) {
      throw new BerthException.Invalid("InvalidWebhook", "a webhook must be an http:// or https:// URL: '" + url + "'");
    }
    if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https")) || u.getHost() == null) {
      throw new BerthException.Invalid("InvalidWebhook", "a webhook must be an http:// or https:// URL: '" + url + "'");
    }
    return u.toString();
  }

  /** How the outbox and the notification log name it. */
  String key() {
    return kind + " " + target;
  }

  @Override
  public String toString() {
    return key();
  }
}
