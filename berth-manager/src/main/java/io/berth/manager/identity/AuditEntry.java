package io.berth.manager.identity;

import java.time.Instant;

/**
 * One mutating call, as {@code berth audit} shows it: who ({@code user}, proved {@code via}), what
 * ({@code action} such as {@code POST /v1/apps} or {@code docker POST /containers/create}, and its
 * {@code target}), when, from where (the client's address) and the outcome (HTTP status and a word:
 * {@code ok}, {@code denied}, {@code failed}).
 */
public record AuditEntry(Instant at, String user, String via, String from, String action, String target, int status, String outcome) {
  public static String outcome(int status) {
    return status < 400 ? "ok" : status == 401 || status == 403 ? "denied" : "failed";
  }
}
