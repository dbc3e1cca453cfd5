package dev.s3redirect.sample;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** A Spring Boot application that serves S3 objects through the s3-redirect filter. */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

  /** Spring creates it. */
  public SampleApplication() {}

  /**
   * Starts the application.
   *
   * @param args command-line arguments, as Spring Boot reads them
   */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  /**
   * The clock signed links are checked against.
   *
   * @return the system clock, in UTC
   */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
