package io.berth.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a password comes from: typed at the terminal without echo, or read from standard input
 * with {@code --password-stdin} (as {@code docker login} does, so it stays out of the shell's
 * history and of {@code ps}). Never from a flag's value. The caller clears the array when done.
 */
final class PasswordInput {
  private PasswordInput() {}

  /**
   * A password: all of {@code stdin} less one trailing newline when {@code fromStdin}, else typed
   * at the terminal after {@code prompt}, and typed again to confirm when {@code confirm}.
   */
  static char[] read(boolean fromStdin, InputStream stdin, String prompt, boolean confirm) {
    char[] password = fromStdin ? fromStdin(stdin) : fromConsole(prompt, confirm);
    if (password.length == 0) throw new IllegalStateException("the password is empty");
    return password;
  }

  /** The terminal, or null when there is none to type at (standard input or output is not a terminal). */
  static Console terminal() {
    Console c = System.console();
    if (c == null) return null;
    // From Java 22 there is a Console even when the streams are redirected; isTerminal() tells. We build for 21.
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c) ? c : null;
    } catch (ReflectiveOperationException e) {
      return c; // Java 21: a console is there only for a terminal
    }
  }

  private static char[] fromConsole(String prompt, boolean confirm) {
    Console c = terminal();
    if (c == null) throw new IllegalStateException("no terminal to type the password at: give it on standard input with --password-stdin");
    char[] first = c.readPassword("%s", prompt);
    if (first == null) throw new IllegalStateException("no password typed");
    if (!confirm) return first;
    char[] again = c.readPassword("%s", "Again: ");
    try {
      if (again == null || !Arrays.equals(first, again)) {
        Arrays.fill(first, '\0');
        throw new IllegalStateException("the passwords typed do not match");
      }
      return first;
    } finally {
      if (again != null) Arrays.fill(again, '\0');
    }
  }

  private static char[] fromStdin(InputStream in) {
    byte[] bytes;
    try {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the password from standard input: " + e.getMessage(), e);
    }
    try {
      int end = bytes.length;
      if (end > 0 && bytes[end - 1] == '\n') end--;
      if (end > 0 && bytes[end - 1] == '\r') end--;
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("the password on standard input is not UTF-8 text");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
