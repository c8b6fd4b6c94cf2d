package io.berth.manager.notify;

/** What a receiver made of one message. Only {@link Unknown} is uncertain: the message may or may not have arrived. */
sealed interface Outcome {
  String why();

  /** The receiver took it (HTTP 2xx; SMTP 250 after the data). */
  record Delivered() implements Outcome {
    @Override
    public String why() {
      return "delivered";
    }
  }

  /** Certainly not taken, and it may work later: refused connection, 5xx, SMTP refusal before the data ended. */
  record Retry(String why) implements Outcome {}

  /** Certainly not taken, and trying again would not help: a 4xx answer, no SMTP server configured. */
  record Rejected(String why) implements Outcome {}

  /** Handed over with no answer (a timeout after the request or the data went): resending could make it two. */
  record Unknown(String why) implements Outcome {}
}
