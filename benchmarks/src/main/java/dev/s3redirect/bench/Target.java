package dev.s3redirect.bench;

/**
 * What a client downloads through: direct S3, the filter with one engine, the nginx recipe, or the
 * read-into-memory application. {@code id} is unique and stable (it names the row in the results).
 */
record Target(String id, Kind kind, String label, String engine) {

  /** The kinds of path. */
  enum Kind {
    DIRECT,
    FILTER,
    NGINX,
    MEMORY
  }

  static Target direct() {
    return new Target("direct", Kind.DIRECT, "direct S3", null);
  }

  static Target filter(String engine) {
    return new Target("filter-" + engine, Kind.FILTER, "filter, " + Engines.label(engine), engine);
  }

  static Target nginx() {
    return new Target("nginx", Kind.NGINX, "nginx X-Accel-Redirect", null);
  }

  static Target memory() {
    return new Target("memory", Kind.MEMORY, "read into memory", null);
  }

  boolean isFilter() {
    return kind == Kind.FILTER;
  }

  @Override
  public String toString() {
    return label;
  }
}
