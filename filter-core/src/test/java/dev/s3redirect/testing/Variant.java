package dev.s3redirect.testing;

import dev.s3redirect.S3RedirectSettings.WriteMode;
import java.net.http.HttpClient;

/**
 * One way of running an integration suite: the engine the filter reads S3 with, how it writes to
 * the client, and the HTTP version the suite's client speaks.
 *
 * @param engine the engine
 * @param writeMode the write mode
 * @param protocol the HTTP version of the suite's {@code HttpClient} (raw-socket tests speak
 *     HTTP/1.1 whatever it is)
 */
public record Variant(Engine engine, WriteMode writeMode, HttpClient.Version protocol) {

  @Override
  public String toString() {
    return engine + " engine, " + writeMode + " writes, " + protocol;
  }
}
