package io.berth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HaRunTimesTest {
  @Test
  void readsTheManagersSplitOfEachCreate() {
    HaRunTimes.Side side = new HaRunTimes.Side("leader");
    HaRunTimes.parse("23:52:01.123 DEBUG Creator docker-create-timing node=n47 lock=2900 view=230 name=1 plan=500 create=8000 after=180", side.split());
    HaRunTimes.parse("23:52:02.123 DEBUG Creator docker-create-timing node=n48 lock=3100 view=250 name=1 plan=700 create=9000 after=x", side.split());
    assertEquals(List.of(2900L, 3100L), side.split().get("lock")); // medians take the upper middle of an even count
    assertEquals(List.of(180L), side.split().get("after"));
    assertEquals("lock 3.1, view 0.3, name 0.0, plan 0.7, create 9.0, after 0.2", side.splitLine());
  }

  @Test
  void readsThePlanStepsEntryWithTheCreate() {
    HaRunTimes.Side side = new HaRunTimes.Side("follower");
    HaRunTimes.parse("23:52:01.100 DEBUG PlanLock plan-lock-timing take=2100 journal=900 learn=0 learned=0 entries=3", side.split());
    HaRunTimes.parse("23:52:01.123 DEBUG Creator docker-create-timing node=n47 lock=3000 view=230 name=1 plan=500 create=8000 after=180", side.split());
    HaRunTimes.parse("23:52:02.100 DEBUG PlanLock plan-lock-timing take=2300 journal=1100 learn=4000 learned=1 entries=4", side.split());
    assertEquals(List.of(2100L, 2300L), side.split().get("take"));
    assertEquals("lock 3.0, view 0.2, name 0.0, plan 0.5, create 8.0, after 0.2, take 2.3, journal 1.1, learn 4.0, learned 0.50",
        side.splitLine());
  }

  @Test
  void reportsEachSideAgainstTheOneManager() {
    HaRunTimes.Side one = new HaRunTimes.Side("1 manager");
    HaRunTimes.Side three = new HaRunTimes.Side("3 managers");
    one.ms().addAll(List.of(100.0, 200.0, 300.0));
    three.ms().addAll(List.of(210.0, 210.0));
    String report = HaRunTimes.report(List.of(one, three));
    assertEquals(true, report.contains("1 manager: median 200 ms of 3 (1.00x)"), report);
    assertEquals(true, report.contains("3 managers: median 210 ms of 2 (1.05x; aim <= 1.05x)"), report);
  }
}
