package io.berth.manager.api;

import io.berth.manager.http.Routes;
import io.berth.store.StoreHealth;
import java.util.Optional;

/**
 * {@code GET /healthz}: 200 and {@code ok}, the leader's name and how many store members answer;
 * 503 and {@code store has no quorum: N of M members answer} when the store cannot take writes,
 * so a front (haproxy) sends no changes to a manager that would refuse them.
 */
final class Health {
  private static final String NO_QUORUM = "store has no quorum";

  private Health() {}

  static Routes.Reply reply(StoreHealth store, Optional<String> leader) {
    if (!store.ok()) {
      String why = store.message() != null && store.message().startsWith(NO_QUORUM) ? store.message()
          : NO_QUORUM + ": " + store.answering() + " of " + store.members() + " members answer";
      return Routes.Reply.text(503, why + "\n");
    }
    return Routes.Reply.text(200, "ok\nleader: " + leader.orElse("none") + "\nstore: " + store.answering() + " of " + store.members()
        + " members answer\n");
  }
}
