package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The user and secret of an {@code Authorization: Basic} header. */
record BasicCredentials(String user, String secret) {
  /** Decodes what follows {@code Basic }; anything but base64 of {@code user:secret} is a 401 saying so. */
  static BasicCredentials decode(String base64) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BerthException.Unauthorized("malformed Basic credentials: expected base64 of user:password");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) throw new BerthException.Unauthorized("malformed Basic credentials: expected base64 of user:password");
    return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
