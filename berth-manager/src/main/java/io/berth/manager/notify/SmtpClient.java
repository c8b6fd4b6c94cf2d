package io.berth.manager.notify;

import io.berth.core.Addresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small SMTP client on a plain socket (RFC 5321): EHLO (HELO when refused), MAIL FROM, one RCPT TO, DATA with
 * dot-stuffing, QUIT. No AUTH and no STARTTLS: it is meant for a relay on the manager's network. Anything refused or
 * failing before the data's final dot is certainly not delivered (retry); no answer after the dot is unknown.
 */
final class SmtpClient {
  private final Addresses.HostPort server;
  private final String heloName;
  private final Duration timeout;

  SmtpClient(Addresses.HostPort server, String heloName, Duration timeout) {
    this.server = server;
    this.heloName = heloName;
    this.timeout = timeout;
  }

  /** A reply the server gave that was not the one wanted. */
  static final class Refused extends IOException {
    Refused(String command, String reply) {
      super(command + " refused: " + reply);
    }
  }

  /** Sends {@code message} (CRLF lines, not yet dot-stuffed) from {@code from} to {@code to}. */
  Outcome send(String from, String to, String message) {
    boolean dataSent = false;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(server.host(), server.port()), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      expect(in, "greeting", 220);
      if (reply(command(out, in, "EHLO " + heloName)).code() != 250) expect(command(out, in, "HELO " + heloName), "HELO", 250);
      expect(command(out, in, "MAIL FROM:<" + from + ">"), "MAIL FROM", 250);
      Reply rcpt = reply(command(out, in, "RCPT TO:<" + to + ">"));
      if (rcpt.code() != 250 && rcpt.code() != 251) throw new Refused("RCPT TO:<" + to + ">", rcpt.text());
      expect(command(out, in, "DATA"), "DATA", 354);
      out.write((dotStuffed(message) + "\r\n.\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      dataSent = true;
      Reply accepted = reply(in);
      if (accepted.code() != 250) return new Outcome.Retry("the message was refused by " + server + ": " + accepted.text());
      command(out, in, "QUIT"); // the mail is the server's now; a QUIT unanswered changes nothing
      return new Outcome.Delivered();
    } catch (IOException e) {
      if (dataSent && !(e instanceof Refused)) {
        return new Outcome.Unknown("no answer from " + server + " after the message was sent: " + WebhookSender.words(e));
      }
      String why = e instanceof Refused ? e.getMessage()
          : e instanceof SocketTimeoutException ? "no answer within " + timeout.toSeconds() + " s" : WebhookSender.words(e);
      return new Outcome.Retry("SMTP " + server + ": " + why);
    }
  }

  /** Every line that starts with a dot gets one more (RFC 5321 4.5.2), so no line of the body ends the data. */
  static String dotStuffed(String message) {
    String m = message.endsWith("\r\n") ? message.substring(0, message.length() - 2) : message;
    return (m.startsWith(".") ? "." : "") + m.replace("\r\n.", "\r\n..");
  }

  private static BufferedReader command(OutputStream out, BufferedReader in, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return in;
  }

  /** One reply, its continuation lines ({@code 250-…}) read to the last ({@code 250 …}). */
  record Reply(int code, String text) {}

  static Reply reply(BufferedReader in) throws IOException {
    StringBuilder text = new StringBuilder();
    while (true) {
      String line = in.readLine();
      if (line == null) throw new IOException("the server closed the connection");
      if (line.length() < 3) throw new IOException("not an SMTP reply: " + line);
      int code;
      try {
        code = Integer.parseInt(line.substring(0, 3));
      } catch (NumberFormatException e) {
        throw new IOException("not an SMTP reply: " + line);
      }
      if (!text.isEmpty()) text.append(' ');
      text.append(line.length() > 4 ? line.substring(4) : "");
      if (line.length() == 3 || line.charAt(3) != '-') return new Reply(code, code + " " + text);
    }
  }

  private static void expect(BufferedReader in, String what, int code) throws IOException {
    Reply r = reply(in);
    if (r.code() != code) throw new Refused(what, r.text());
  }
}
