package io.berth.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.berth.core.metrics.MetricFamily;
import io.berth.core.metrics.MetricRegistry;
import io.berth.core.metrics.SeriesRing;
import io.berth.core.metrics.SeriesWindow;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Holds the line STYLE.md draws: core does no I/O, starts no threads, never reads the clock and keeps no mutable statics. */
class CoreIsPureTest {
  /** Core's own types whose contents change: a process's registry and its series. */
  static final List<Class<?>> MUTABLE_METRICS = List.of(MetricRegistry.class, MetricFamily.class, SeriesRing.class, SeriesWindow.class);
  private final JavaClasses core = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.berth.core");

  @Test
  void coreDoesNoIoAndStartsNoThreads() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("java.net..", "java.nio.file..", "java.io..", "java.sql..", "java.util.concurrent..")
        .allowEmptyShould(true)
        .check(core);
  }

  /**
   * Core holds no state of a process: no static field may change after class init, and none may hold a collection or
   * a metric whose contents change (a registry belongs to whoever runs the process, and is passed in).
   */
  @Test
  void coreHoldsNoMutableStatics() {
    fields().that().areStatic().and().doNotHaveModifier(JavaModifier.SYNTHETIC).should().beFinal()
        .andShould(new ArchCondition<JavaField>("not hold a mutable collection or metric") {
          @Override
          public void check(JavaField field, ConditionEvents events) {
            JavaClass type = field.getRawType();
            boolean collection = !type.isInterface() && (type.isAssignableTo(Collection.class) || type.isAssignableTo(Map.class));
            boolean metric = MUTABLE_METRICS.stream().anyMatch(type::isAssignableTo);
            if (collection || metric || type.isArray()) events.add(SimpleConditionEvent.violated(field, field.getFullName() + " holds a mutable " + type.getSimpleName()));
          }
        })
        .allowEmptyShould(true)
        .check(core);
  }

  @Test
  void coreNeverReadsTheClock() {
    noClasses().should().callMethod(Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .check(core);
  }
}
