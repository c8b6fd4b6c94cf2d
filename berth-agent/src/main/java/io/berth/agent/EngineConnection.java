package io.berth.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A raw byte connection to an engine over its Unix socket or TCP. Reads and writes go straight to
 * the channel with no shared lock, so one thread may block reading while another writes.
 */
final class EngineConnection implements AutoCloseable {
  private final SocketChannel channel;

  private EngineConnection(SocketChannel channel) {
    this.channel = channel;
  }

  /** Connects to {@code unix:///path} or {@code tcp://host:port}. */
  static EngineConnection open(String url) throws IOException {
    URI uri = URI.create(url);
    return switch (uri.getScheme()) {
      case "unix" -> {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(uri.getPath()));
        yield new EngineConnection(ch);
      }
      case "tcp" -> new EngineConnection(SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort())));
      default -> throw new IOException("unsupported engine URL " + url + ": use unix:///path or tcp://host:port");
    };
  }

  InputStream in() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = channel.read(ByteBuffer.wrap(b, off, len));
        return n;
      }
    };
  }

  OutputStream out() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) channel.write(buf);
      }
    };
  }

  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
