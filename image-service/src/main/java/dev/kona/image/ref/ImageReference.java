package dev.kona.image.ref;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.image.content.Digest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalised image reference, as the kubelet and containerd spell it: {@code busybox} is
 * {@code docker.io/library/busybox:latest}. A reference has a tag, a digest, or both; {@link
 * #toString()} writes {@code registry/repository[:tag][@digest]}.
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {

  public static final String DOCKER_HUB = "docker.io";

  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?");
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  public ImageReference {
    tag = tag == null ? Optional.empty() : tag;
    digest = digest == null ? Optional.empty() : digest;
    String problem = problem(registry, repository, tag);
    if (problem != null) {
      throw invalid(registry + "/" + repository + tag.map(t -> ":" + t).orElse(""), problem);
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
  }

  /** What is wrong with these parts, or null. */
  private static String problem(String registry, String repository, Optional<String> tag) {
    if (!DOMAIN.matcher(registry).matches()) {
      return "registry host \"" + registry + "\" is not a valid host[:port]";
    }
    for (String component : repository.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        return "repository component \"" + component + "\" must be lowercase letters, digits and separators";
      }
    }
    if (registry.length() + 1 + repository.length() > 255) {
      return "name longer than 255 characters";
    }
    if (tag.isPresent() && !TAG.matcher(tag.get()).matches()) {
      return "tag \"" + tag.get() + "\" is not valid";
    }
    return null;
  }

  /** Parses and normalises a reference; bad input is INVALID_ARGUMENT naming the reference. */
  public static ImageReference parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidArgumentException("parse image reference: image is empty");
    }
    String rest = text;
    Optional<Digest> digest = Optional.empty();
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Optional.of(Digest.parse(rest.substring(at + 1)));
      } catch (InvalidArgumentException e) {
        throw invalid(text, "bad digest: " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = Optional.of(rest.substring(colon + 1));
      rest = rest.substring(0, colon);
    }
    String registry;
    String repository;
    int slash = rest.indexOf('/');
    String first = slash < 0 ? "" : rest.substring(0, slash);
    if (slash < 0
        || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
            && first.toLowerCase(Locale.ROOT).equals(first))) {
      registry = DOCKER_HUB;
      repository = rest;
    } else {
      registry = first;
      repository = rest.substring(slash + 1);
    }
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    if (repository.isEmpty()) {
      throw invalid(text, "repository is empty");
    }
    String problem = problem(registry, repository, tag);
    if (problem != null) {
      throw invalid(text, problem);
    }
    return new ImageReference(registry, repository, tag, digest);
  }

  /** {@code registry/repository}. */
  public String name() {
    return registry + "/" + repository;
  }

  /** What to ask the registry's manifests endpoint for: the digest when there is one, else the tag. */
  public String manifestReference() {
    return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
  }

  /** {@code name:tag} when the reference has a tag and no digest (containerd's rule for repo tags). */
  public Optional<String> repoTag() {
    return digest.isPresent() ? Optional.empty() : tag.map(t -> name() + ":" + t);
  }

  public String repoDigest(Digest manifestDigest) {
    return name() + "@" + manifestDigest;
  }

  private static InvalidArgumentException invalid(String text, String why) {
    return new InvalidArgumentException("parse image reference \"" + text + "\": " + why);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name());
    tag.ifPresent(t -> out.append(':').append(t));
    digest.ifPresent(d -> out.append('@').append(d));
    return out.toString();
  }
}
