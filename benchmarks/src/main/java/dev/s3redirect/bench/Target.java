package dev.s3redirect.bench;

/** What a client downloads through. */
enum Target {
  DIRECT("direct S3"),
  FILTER("filter (Jetty 12)"),
  NGINX("nginx X-Accel-Redirect"),
  MEMORY("read into memory");

  final String label;

  Target(String label) {
    this.label = label;
  }
}
