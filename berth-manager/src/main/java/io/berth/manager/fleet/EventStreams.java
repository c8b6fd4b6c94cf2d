package io.berth.manager.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Small buffers for the event stream the manager holds open to every node. Such a stream lives as long as its node
 * and carries events of a few hundred bytes, yet a {@link BufferedInputStream} and Jackson's parser each hold 8 KB
 * by default: ~16 KB a node for nothing, ~160 MB at 10,000 nodes. Here both read {@value #BUFFER} bytes at a time
 * (a larger event is read in several pieces).
 */
final class EventStreams {
  /** Bytes read from the socket, and by the parser, at a time. */
  static final int BUFFER = 512;
  private static final ObjectReader EVENTS = new ObjectMapper(JsonFactory.builder().recyclerPool(new SmallBuffers()).build())
      .readerFor(JsonNode.class);

  private EventStreams() {}

  /** The socket's input with a small buffer, for the answer's head and the chunks' framing. */
  static InputStream buffered(InputStream socket) {
    return new BufferedInputStream(socket, BUFFER);
  }

  /** The events in {@code body}, one JSON value after another, parsed with small buffers. */
  static MappingIterator<JsonNode> events(InputStream body) throws IOException {
    return EVENTS.readValues(body);
  }

  /** A fresh recycler per parser, never pooled: a stream's parser keeps its buffers for its whole life anyway. */
  private static final class SmallBuffers extends RecyclerPool.NonRecyclingPoolBase<BufferRecycler> {
    private static final long serialVersionUID = 1L;

    @Override
    public BufferRecycler acquirePooled() {
      return new BufferRecycler() {
        @Override
        protected int byteBufferLength(int ix) {
          return ix == BYTE_READ_IO_BUFFER ? BUFFER : super.byteBufferLength(ix);
        }
      };
    }
  }
}
