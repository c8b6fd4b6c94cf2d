package io.berth.core.scheduler;

import java.util.Optional;

/** Turns away nodes without the image, unless the request may pull it anywhere. */
final class ImageFilter implements NodeFilter {
  @Override
  public String name() {
    return "image";
  }

  @Override
  public Optional<Veto> check(PlacementRequest r, Candidate c) {
    return r.imageAvailable() || holds(c, r.image()) ? Optional.empty() : NodeFilter.veto("image " + r.image() + " not present");
  }

  private static boolean holds(Candidate c, String image) {
    return c.view.images().contains(image) || (!image.contains(":") && c.view.images().contains(image + ":latest"));
  }
}
