package io.berth.core.lrp;

import java.util.Map;

/** The fields of a DesiredLRP that change in place; a null field stays as it was. */
public record DesiredLrpUpdate(Integer instances, Map<String, Object> routes, String annotation) {}
