package io.berth.agent.work;

/**
 * The credentials for pulling an image: the engine's {@code X-Registry-Auth} header, or null to pull
 * without (an image of a public registry, or no manager to ask).
 */
@FunctionalInterface
public interface RegistryAuth {
  RegistryAuth NONE = image -> null;

  String forImage(String image);
}
