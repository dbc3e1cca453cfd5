package dev.s3redirect;

import java.io.IOException;

/**
 * Thrown out of the filter once a committed response can only end early, so that the container
 * aborts the client's connection before {@code Content-Length} bytes: the one honest signal left
 * after the status line is gone.
 */
final class ResponseCutShortException extends IOException {
  private static final long serialVersionUID = 1L;

  ResponseCutShortException(String message) {
    super(message + "; response cut short");
  }
}
