package io.berth.manager.http.lean;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Out of file descriptors, the pools' idle connections are closed before the agents', and only as many as asked. */
class FileRoomTest {
  @Test
  void poolsAreAskedFirstThenServersUntilEnoughAreClosed() {
    FileRoom room = new FileRoom();
    List<String> asked = new ArrayList<>();
    room.add(FileRoom.SERVERS, max -> {
      asked.add("server " + max);
      return max;
    });
    Runnable leave = room.add(FileRoom.POOLS, max -> {
      asked.add("pool " + max);
      return Math.min(max, 3); // a pool holding three idle connections
    });

    assertThat(room.make(8)).isEqualTo(8);
    assertThat(asked).containsExactly("pool 8", "server 5");

    asked.clear();
    assertThat(room.make(2)).isEqualTo(2);
    assertThat(asked).containsExactly("pool 2"); // the pool had enough: servers' clients keep their connections

    leave.run();
    asked.clear();
    assertThat(room.make(2)).isEqualTo(2);
    assertThat(asked).containsExactly("server 2");
  }

  @Test
  void knowsTheErrorsOfAProcessOutOfDescriptors() {
    assertThat(FileRoom.outOfFiles(new IOException("Too many open files"))).isTrue();
    assertThat(FileRoom.outOfFiles(new IOException("Too many open files in system"))).isTrue();
    assertThat(FileRoom.outOfFiles(new IOException("Connection refused"))).isFalse();
    assertThat(FileRoom.outOfFiles(new IOException())).isFalse();
  }
}
