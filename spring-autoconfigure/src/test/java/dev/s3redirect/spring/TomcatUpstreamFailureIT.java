package dev.s3redirect.spring;

/** {@link TomcatUpstreamFailureContract} with non-blocking writes, the default. */
class TomcatUpstreamFailureIT extends TomcatUpstreamFailureContract {}
