package io.berth.engine;

import java.util.List;

/** One image: its id, its repo:tag names and its size. */
public record ImageSummary(String id, List<String> repoTags, long size) {
  public ImageSummary {
    repoTags = List.copyOf(repoTags);
  }
}
