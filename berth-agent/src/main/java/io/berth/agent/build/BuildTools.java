package io.berth.agent.build;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every run of a node uses: where builds live, the step runners, the clock and the timer of time limits. */
record BuildTools(Path buildsDir, GitCheckout git, PrepareSteps prepare, ImageSteps images, Clock clock,
                  ScheduledExecutorService timer) {}
