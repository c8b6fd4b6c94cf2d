package io.berth.manager.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny SMTP server for tests: takes every mail (or refuses MAIL FROM with 451 while {@code refusing}) and keeps it. */
final class SmtpSink implements AutoCloseable {
  /** One mail as the sink got it: the envelope and the data, dot-stuffing undone. */
  record Mail(String from, List<String> to, String data) {}

  final List<Mail> mails = new CopyOnWriteArrayList<>();
  volatile boolean refusing;
  private final ServerSocket server;
  private final Thread thread;

  SmtpSink() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread = Thread.ofVirtual().start(this::serve);
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        session(s);
      } catch (IOException e) {
        // closed, or a client that went away: the next one may come
      }
    }
  }

  private void session(Socket s) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = s.getOutputStream();
    say(out, "220 sink ESMTP");
    String from = null;
    List<String> to = new ArrayList<>();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String upper = line.toUpperCase();
      if (upper.startsWith("EHLO")) {
        say(out, "250-sink\r\n250 8BITMIME");
      } else if (upper.startsWith("MAIL FROM:")) {
        if (refusing) {
          say(out, "451 4.3.0 try again later");
          continue;
        }
        from = line.substring(10);
        say(out, "250 ok");
      } else if (upper.startsWith("RCPT TO:")) {
        to.add(line.substring(8));
        say(out, "250 ok");
      } else if (upper.equals("DATA")) {
        say(out, "354 go ahead");
        StringBuilder data = new StringBuilder();
        for (String d = in.readLine(); d != null && !d.equals("."); d = in.readLine()) data.append(d.startsWith(".") ? d.substring(1) : d).append('\n');
        mails.add(new Mail(from, List.copyOf(to), data.toString()));
        say(out, "250 queued");
      } else if (upper.equals("QUIT")) {
        say(out, "221 bye");
        return;
      } else {
        say(out, "502 unknown");
      }
    }
  }

  private static void say(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    thread.interrupt();
  }
}
