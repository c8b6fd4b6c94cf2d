package io.berth.manager.lrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.cluster.wire.Assignment;
import io.berth.cluster.wire.InstanceReport;
import io.berth.core.lrp.ActualLrp;
import io.berth.core.lrp.PortMapping;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which agents' reports wake the convergence loop: those that give it work, not every instance that starts. */
class ReportSignalsTest extends ConvergerScenario {
  final AtomicInteger signals = new AtomicInteger();

  @BeforeEach
  void countSignals() {
    service.onChange(signals::incrementAndGet); // instead of the converger's own signal: passes are driven by hand here
  }

  void report(ActualLrp a, String state) {
    service.report(a.cellId(), List.of(new InstanceReport(Assignment.LRP, a.instanceGuid().value(), a.processGuid().value(), a.index(),
        state, List.of(new PortMapping(8080, 61000 + a.index())), state.equals(InstanceReport.CRASHED) ? "exit 1" : "", false, "")));
  }

  @Test
  void anInstanceThatRunsNowDoesNotWakeTheLoopAndACrashDoes() {
    service.desire(lrp("web", 2));
    converger.pass();
    signals.set(0);

    report(service.actual(pg("web"), 0), InstanceReport.RUNNING);
    report(service.actual(pg("web"), 1), InstanceReport.RUNNING);
    assertThat(service.actual(pg("web"), 0).ports()).containsExactly(new PortMapping(8080, 61000));
    assertThat(signals.get()).as("two instances running: nothing for convergence to do").isZero();

    report(service.actual(pg("web"), 0), InstanceReport.CRASHED);
    assertThat(signals.get()).as("a crash: its restart is convergence's").isEqualTo(1);
  }

  @Test
  void aReplacementThatRunsWakesTheLoopWhileItsSlotHasAnEvacuee() {
    service.desire(lrp("web", 1));
    converger.pass();
    ActualLrp old = service.actual(pg("web"), 0);
    report(old, InstanceReport.RUNNING);
    service.drain(old.cellId().value(), true);
    converger.pass();
    ActualLrp replacement = service.actual(pg("web"), 0);
    assertThat(replacement.cellId()).isNotEqualTo(old.cellId());
    assertThat(store.evacuee(pg("web"), 0)).isPresent();
    signals.set(0);

    report(replacement, InstanceReport.RUNNING);

    assertThat(signals.get()).isEqualTo(1);
    assertThat(store.evacuee(pg("web"), 0)).as("no router holds it: dropped at once").isEmpty();
  }
}
