package io.berth.manager.lrp;

import io.berth.core.lrp.Convergence;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out {@link Convergence}'s changes on the store, each with compare-and-put on the revision the pass read. */
final class ConvergenceChanges {
  private static final Logger log = LoggerFactory.getLogger(ConvergenceChanges.class);
  private final LrpStore store;
  private final LongSupplier now;

  ConvergenceChanges(LrpStore store, LongSupplier now) {
    this.store = store;
    this.now = now;
  }

  /** Convergence's changes, applied; each is skipped when the record changed since the snapshot. */
  void apply(Convergence.Change c, long revision) {
    long now = this.now.getAsLong();
    switch (c) {
      case Convergence.Create cr -> store.create(cr.actual());
      case Convergence.Unclaim u -> {
        if (store.replace(u.actual().unclaim(now, ""), revision).isPresent()) {
          store.unassign(u.actual().cellId(), u.actual().instanceGuid());
          log.info("lrp-instance-unclaimed process={} index={} reason={}", u.actual().processGuid(), u.actual().index(), u.reason());
        }
      }
      case Convergence.Restart r -> store.replace(r.actual().unclaim(now, ""), revision);
      case Convergence.Evacuate e -> {
        if (!store.createEvacuee(e.actual())) return;
        if (store.replace(e.actual().unclaim(now, ""), revision).isEmpty()) {
          store.forgetEvacuee(e.actual());
        } else {
          log.info("lrp-instance-evacuating process={} index={} node={}", e.actual().processGuid(), e.actual().index(), e.actual().cellId());
        }
      }
      case Convergence.DropEvacuee d -> {
        store.dropEvacuee(d.evacuee());
        log.info("lrp-evacuee-stopped process={} index={} node={} reason={}", d.evacuee().processGuid(), d.evacuee().index(),
            d.evacuee().cellId(), d.reason());
      }
      case Convergence.Retire r -> {
        store.retire(new Versioned<>(r.actual(), revision));
        log.info("lrp-instance-retired process={} index={}", r.actual().processGuid(), r.actual().index());
      }
    }
  }
}
