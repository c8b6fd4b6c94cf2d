package io.berth.manager.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdlePoolTest {
  private static final long MAX_IDLE = Duration.ofSeconds(20).toNanos();
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private ServerSocketChannel server;
  private final List<SocketChannel> accepted = new ArrayList<>();

  @BeforeEach
  void listen() throws IOException {
    server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterEach
  void close() throws IOException {
    for (SocketChannel c : accepted) c.close();
    server.close();
  }

  private PooledConnection connection() throws IOException {
    SocketChannel raw = SocketChannel.open(server.getLocalAddress());
    accepted.add(server.accept());
    return new PooledConnection(raw.socket(), raw);
  }

  @Test
  void aFullPoolMakesRoomByClosingTheConnectionIdleLongest() throws IOException {
    IdlePool pool = new IdlePool(8, 4, MAX_IDLE);
    List<PooledConnection> kept = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      PooledConnection c = connection();
      kept.add(c);
      assertThat(pool.keep("node-" + i, c, i * SECOND)).isTrue();
    }
    PooledConnection latest = connection();
    assertThat(pool.keep("node-4", latest, 4 * SECOND)).isTrue(); // before, refused: the pool stayed full of unused ones

    assertThat(pool.size()).isLessThanOrEqualTo(4);
    assertThat(kept.get(0).socket.isClosed()).isTrue();
    assertThat(pool.take("node-0", 5 * SECOND)).isNull();
    assertThat(pool.take("node-4", 5 * SECOND)).isSameAs(latest);
    assertThat(pool.take("node-3", 5 * SECOND)).isSameAs(kept.get(3));
  }

  @Test
  void aSweepClosesConnectionsIdleTooLongAndKeepsTheRest() throws IOException {
    IdlePool pool = new IdlePool(8, 100, MAX_IDLE);
    PooledConnection old = connection();
    PooledConnection fresh = connection();
    pool.keep("node-1", old, 0);
    pool.keep("node-2", fresh, 15 * SECOND);

    pool.sweep(21 * SECOND);

    assertThat(old.socket.isClosed()).isTrue();
    assertThat(pool.size()).isEqualTo(1);
    assertThat(pool.take("node-2", 21 * SECOND)).isSameAs(fresh);
  }

  @Test
  void aNodeKeepsAtMostItsShare() throws IOException {
    IdlePool pool = new IdlePool(1, 100, MAX_IDLE);
    assertThat(pool.keep("node-1", connection(), 0)).isTrue();
    assertThat(pool.keep("node-1", connection(), 0)).isFalse();
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void outOfDescriptorsTheConnectionsIdleLongestAreClosedFirstAndNoMoreThanAsked() throws IOException {
    IdlePool pool = new IdlePool(8, 100, MAX_IDLE);
    List<PooledConnection> kept = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      PooledConnection c = connection();
      kept.add(c);
      assertThat(pool.keep("node-" + (i % 2), c, i * SECOND)).isTrue();
    }
    assertThat(pool.closeIdlest(2)).isEqualTo(2);
    assertThat(kept.get(0).socket.isClosed()).isTrue();
    assertThat(kept.get(1).socket.isClosed()).isTrue();
    assertThat(kept.subList(2, 5)).noneMatch(c -> c.socket.isClosed());
    assertThat(pool.size()).isEqualTo(3);
    assertThat(pool.closeIdlest(10)).isEqualTo(3);
    assertThat(pool.size()).isZero();
  }
}
