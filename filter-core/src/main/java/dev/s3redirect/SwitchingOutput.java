package dev.s3redirect;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.BooleanSupplier;

/**
 * The application's output: the container's own stream until the redirect header appears, a sink
 * after. It holds none of the application's bytes, so a response without the header is untouched
 * and unbuffered.
 */
final class SwitchingOutput {

  private SwitchingOutput() {}

  /** Opens the container's stream, on first use. */
  @FunctionalInterface
  interface Opener<T> {
    T open() throws IOException;
  }

  /** The application's byte stream. */
  static final class Bytes extends ServletOutputStream {
    private final Opener<ServletOutputStream> container;
    private final BooleanSupplier discarding;
    private ServletOutputStream target;

    Bytes(Opener<ServletOutputStream> container, BooleanSupplier discarding) {
      this.container = container;
      this.discarding = discarding;
    }

    private ServletOutputStream target() throws IOException {
      if (target == null) {
        target = container.open();
      }
      return target;
    }

    @Override
    public void write(int b) throws IOException {
      if (!discarding.getAsBoolean()) {
        target().write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (!discarding.getAsBoolean()) {
        target().write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      if (!discarding.getAsBoolean() && target != null) {
        target.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (!discarding.getAsBoolean()) {
        target().close();
      }
    }

    @Override
    public boolean isReady() {
      if (discarding.getAsBoolean()) {
        return true;
      }
      try {
        return target().isReady();
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      try {
        target().setWriteListener(listener);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The application's character stream. */
  static final class Chars extends Writer {
    private final Opener<PrintWriter> container;
    private final BooleanSupplier discarding;
    private PrintWriter target;

    Chars(Opener<PrintWriter> container, BooleanSupplier discarding) {
      this.container = container;
      this.discarding = discarding;
    }

    private PrintWriter target() throws IOException {
      if (target == null) {
        target = container.open();
      }
      return target;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      if (!discarding.getAsBoolean()) {
        target().write(chars, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      if (!discarding.getAsBoolean() && target != null) {
        target.flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (!discarding.getAsBoolean()) {
        target().close();
      }
    }
  }
}
