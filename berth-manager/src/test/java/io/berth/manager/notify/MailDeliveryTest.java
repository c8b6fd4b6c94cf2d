package io.berth.manager.notify;

import static io.berth.manager.notify.NotifyFixture.T0;
import static io.berth.manager.notify.NotifyFixture.firing;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.Addresses;
import io.berth.core.identity.Role;
import io.berth.manager.TestStore;
import io.berth.manager.leader.Singletons;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** E-mail through a tiny SMTP server in the test: to the app's owner and master, not its developer; a refusing server is retried. */
class MailDeliveryTest {
  @RegisterExtension final TestStore stores = new TestStore();
  NotifyFixture f;
  SmtpSink sink;
  Notifications n;

  @BeforeEach
  void open() throws Exception {
    f = new NotifyFixture(stores.get());
    sink = new SmtpSink();
    NotifyConfig config = new NotifyConfig(new Addresses.HostPort("127.0.0.1", sink.port()), "berth@ops.example.com", null);
    n = Notifications.create(f.store, Singletons.always(f.store), f.access, config, "m1", f.clock, () -> "");
    f.member("web", "olivia", Role.OWNER);
    f.member("web", "max", Role.MASTER);
    f.member("web", "dev", Role.DEVELOPER);
  }

  @AfterEach
  void close() throws Exception {
    sink.close();
    f.close();
  }

  @Test
  void theOwnerAndTheMasterGetAMailAndTheDeveloperNone() throws Exception {
    n.deliver(firing("web", "high-cpu", T0, List.of(), List.of()));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(sink.mails).extracting(m -> m.to()).containsExactlyInAnyOrder(List.of("<olivia@example.com>"), List.of("<max@example.com>"));
    SmtpSink.Mail mail = sink.mails.get(0);
    assertThat(mail.from()).isEqualTo("<berth@ops.example.com>");
    assertThat(mail.data()).contains("Subject: [FIRING] app web: high-cpu\n").contains("From: Berth <berth@ops.example.com>\n")
        .contains("\n\nFIRING: high-cpu (warning)\n  cpu 92.5 % > 80 % for 2m\n");
  }

  @Test
  void aServerThatRefusesIsRetriedAndDeliverNeverWaits() throws Exception {
    sink.refusing = true;
    n.deliver(firing("web", "high-cpu", T0, List.of(), List.of("oncall@example.com")));
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(n.recent("web", 1).get(0).outcome()).isEqualTo("retrying");
    assertThat(n.recent("web", 1).get(0).error()).contains("MAIL FROM refused: 451 4.3.0 try again later");
    long t = System.nanoTime();
    n.deliver(firing("web", "high-mem", T0, List.of(), List.of("oncall@example.com")));
    assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(50));
    sink.refusing = false;
    f.clock.advance(Duration.ofSeconds(2));
    n.pass();
    assertThat(sink.mails).hasSize(1);
    assertThat(sink.mails.get(0).to()).containsExactly("<oncall@example.com>");
    assertThat(sink.mails.get(0).data()).contains("Subject: [FIRING:2] app web: high-cpu, high-mem\n");
  }

  @Test
  void aLineOfJustADotInTheBodyDoesNotEndTheData() {
    assertThat(SmtpClient.dotStuffed(".\r\nline\r\n..two\r\n")).isEqualTo("..\r\nline\r\n...two");
    assertThat(MailText.header("alerte à web")).isEqualTo("=?UTF-8?B?YWxlcnRlIMOgIHdlYg==?=");
    assertThat(MailText.header("a\r\nBcc: x")).isEqualTo("a Bcc: x");
  }
}
