package io.berth.core.identity;

/**
 * Who makes a call: a user (an administrator or not), and how they proved it — {@code token} (an
 * API or session token), {@code password}, {@code cert} (a client bundle), {@code admin-token}
 * (the cluster's admin token), {@code local} (the plain Docker endpoint, trusted like an engine's
 * socket) or {@code anonymous} (no credentials: only what is public).
 */
public record Principal(String user, boolean admin, String via) {
  public static final String ANONYMOUS = "anonymous";

  public static Principal adminToken() {
    return new Principal("admin", true, "admin-token");
  }

  public static Principal anonymous() {
    return new Principal(ANONYMOUS, false, "anonymous");
  }

  public boolean isAnonymous() {
    return ANONYMOUS.equals(via);
  }
}
