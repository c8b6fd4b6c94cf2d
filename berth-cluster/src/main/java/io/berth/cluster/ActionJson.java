package io.berth.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.berth.core.lrp.Action;

/**
 * Diego's wire form of the action tree: an object with one key naming the action
 * ({@code {"run": {"path": …}}}, {@code {"emit_progress": {…}}}). Kept here, as a mix-in, so that
 * {@code core} stays free of Jackson.
 */
final class ActionJson {
  private ActionJson() {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Action.Run.class, name = "run"),
      @JsonSubTypes.Type(value = Action.Download.class, name = "download"),
      @JsonSubTypes.Type(value = Action.Upload.class, name = "upload"),
      @JsonSubTypes.Type(value = Action.Serial.class, name = "serial"),
      @JsonSubTypes.Type(value = Action.Parallel.class, name = "parallel"),
      @JsonSubTypes.Type(value = Action.Codependent.class, name = "codependent"),
      @JsonSubTypes.Type(value = Action.EmitProgress.class, name = "emit_progress"),
      @JsonSubTypes.Type(value = Action.Timeout.class, name = "timeout"),
      @JsonSubTypes.Type(value = Action.Try.class, name = "try")})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  interface ActionMixin {}

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("berth-actions");
    m.setMixInAnnotation(Action.class, ActionMixin.class);
    return m;
  }
}
