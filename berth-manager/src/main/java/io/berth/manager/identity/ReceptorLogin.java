package io.berth.manager.identity;

import io.berth.core.error.BerthException;
import io.berth.core.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The Receptor API's Basic credentials ({@code berth manage --receptor-user U --receptor-password-file F}),
 * as Diego's receptor takes its {@code -username} and {@code -password}: on the Receptor's routes they
 * sign in as the Berth user U, whose roles then apply.
 */
record ReceptorLogin(String user, String password) {
  /** Compared in constant time: how long a refusal takes says nothing of how much of the password was right. */
  boolean matches(String name, String secret) {
    return user.equals(name) && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
  }

  /** The Berth user of the Receptor's name: its roles, not a role of their own; a 401 saying so when there is none. */
  Principal principal(Users users) {
    Users.User u = users.find(user).orElseThrow(() -> new BerthException.Unauthorized(
        "the receptor user " + user + " is not a Berth user: create it (berth user create " + user + " --admin)"));
    return new Principal(user, u.admin(), "receptor");
  }

  @Override
  public String toString() {
    return "ReceptorLogin[user=" + user + "]";
  }
}
