package io.berth.manager.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * Where one notice stands with one receiver. SENDING is written (fenced) before a message leaves and the outcome
 * after it, so a SENDING found at the start of a pass was left by a manager that stopped mid-send: its outcome is
 * unknown and it is not sent again (at most once per receiver, docs/alerts-notify.md).
 *
 * @param attempts tries of the current send (the first, or one repeat); {@code firstTriedAt} when it began
 * @param nextAt when a PENDING send is due (a retry's back-off); {@code sentAt} when the last send ended, for repeats
 * @param repeat true while the current send is a reminder of an alert still firing
 */
record Delivery(Receiver receiver, State state, int attempts, Instant nextAt, Instant firstTriedAt, Instant sentAt, boolean repeat,
                String error) {
  /** After this long of failures a send is given up (a repeat waits for the next one instead). */
  static final Duration GIVE_UP = Duration.ofHours(24);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /**
   * PENDING: to send at {@code nextAt}; SENDING: leaving now; DELIVERED: sent; DONE: this send ended without a delivery
   * (rejected, given up, unknown). After DELIVERED or DONE only a reminder sends again.
   */
  enum State {
    PENDING, SENDING, DELIVERED, DONE;

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  static Delivery first(Receiver r, Instant due) {
    return new Delivery(r, State.PENDING, 0, due, null, null, false, null);
  }

  /** Not tried yet: it joins any message its app and receiver get now, as the group wait promises. */
  boolean fresh() {
    return state == State.PENDING && attempts == 0;
  }

  /** Due at {@code now}: a first send or retry whose time came, or a reminder of an alert still {@code live}. */
  boolean due(Instant now, boolean live, Duration every) {
    return switch (state) {
      case PENDING -> !nextAt.isAfter(now);
      case DELIVERED, DONE -> live && !sentAt.plus(every).isAfter(now);
      case SENDING -> false;
    };
  }

  /** Written before the message leaves. */
  Delivery sending(Instant now) {
    boolean newSend = state == State.DELIVERED || state == State.DONE;
    boolean reminder = newSend || repeat;
    return new Delivery(receiver, State.SENDING, newSend ? 1 : attempts + 1, null, newSend || firstTriedAt == null ? now : firstTriedAt,
        sentAt, reminder, null);
  }

  /** Written after: what the receiver's answer makes of it. */
  Delivery after(Outcome outcome, Instant now) {
    return switch (outcome) {
      case Outcome.Delivered d -> new Delivery(receiver, State.DELIVERED, attempts, null, firstTriedAt, now, repeat, null);
      case Outcome.Retry r -> now.isBefore(firstTriedAt.plus(GIVE_UP))
          ? new Delivery(receiver, State.PENDING, attempts, now.plus(backoff(attempts)), firstTriedAt, sentAt, repeat, r.why())
          : ended(now, "gave up after " + attempts + " attempts: " + r.why());
      case Outcome.Rejected r -> ended(now, r.why());
      case Outcome.Unknown u -> ended(now, u.why());
    };
  }

  /** No more tries of this send; a firing alert's next reminder still comes, {@code repeat} after this end. */
  private Delivery ended(Instant now, String why) {
    return new Delivery(receiver, State.DONE, attempts, null, firstTriedAt, now, repeat, why);
  }

  /** 1 s, 2 s, 4 s … 5 min after the n-th failed attempt. */
  static Duration backoff(int attempts) {
    int shift = Math.min(Math.max(attempts - 1, 0), 20);
    Duration d = FIRST_BACKOFF.multipliedBy(1L << shift);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }
}
