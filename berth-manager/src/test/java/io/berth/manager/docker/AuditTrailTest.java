package io.berth.manager.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.manager.fleet.HttpMessage;
import io.berth.manager.identity.Access;
import io.berth.manager.identity.AuditEntry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection's audit: written after the answer on a thread of its own, in the order of the calls, one at a time. */
class AuditTrailTest {
  final CountDownLatch storeAnswers = new CountDownLatch(1);
  final List<String> written = new CopyOnWriteArrayList<>();
  final Access access = (Access) Proxy.newProxyInstance(Access.class.getClassLoader(), new Class<?>[] {Access.class}, (p, m, args) -> {
    if (!m.getName().equals("audit")) throw new UnsupportedOperationException(m.getName());
    storeAnswers.await();
    written.add(((AuditEntry) args[0]).action() + " on " + Thread.currentThread().getName());
    return null;
  });

  @Test
  @Timeout(30) // a trail that wrote in the caller's thread would wait for the store forever: fail instead of hanging
  void theNextCallIsNotHeldForTheStoreAndRecordsKeepTheirOrder() {
    AuditTrail trail = new AuditTrail(access);
    trail.record(request("POST", "/v1.41/containers/create?name=web"), Callers.LOCAL, null, answered(201));
    assertThat(written).as("the store has not answered, yet the caller goes on").isEmpty();
    trail.record(request("GET", "/v1.41/containers/json"), Callers.LOCAL, null, answered(200));
    storeAnswers.countDown();
    trail.record(request("POST", "/v1.41/containers/web/start"), Callers.LOCAL, null, answered(204));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> written.size() == 2);
    assertThat(written).containsExactly("docker POST /containers/create on docker-audit", "docker POST /containers/{name}/start on docker-audit");
  }

  private static HttpMessage request(String method, String target) {
    return new HttpMessage(method + " " + target + " HTTP/1.1", List.of());
  }

  private static Exchange.Answer answered(int status) {
    Exchange.Answer a = new Exchange.Answer();
    a.status = status;
    return a;
  }
}
