package dev.s3redirect.spring;

import org.springframework.test.context.TestPropertySource;

/** {@link TomcatUpstreamFailureContract} with blocking writes. */
@TestPropertySource(properties = "s3-redirect.write-mode=blocking")
class TomcatBlockingUpstreamFailureIT extends TomcatUpstreamFailureContract {}
