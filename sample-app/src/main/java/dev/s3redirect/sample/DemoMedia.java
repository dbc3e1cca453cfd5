package dev.s3redirect.sample;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * The demo's media, generated rather than shipped: nothing to download, nothing licensed, and the
 * same bytes on every start.
 */
final class DemoMedia {

  private DemoMedia() {}

  /**
   * Returns a mono 16-bit PCM WAV file (RIFF): a scale of soft tones, one per second, so that a
   * seek is audible as well as visible.
   *
   * @param seconds its duration
   * @param sampleRate samples per second
   * @return the file's bytes
   */
  static byte[] toneWav(int seconds, int sampleRate) {
    int samples = seconds * sampleRate;
    int dataLength = samples * 2;
    ByteBuffer wav = ByteBuffer.allocate(44 + dataLength).order(ByteOrder.LITTLE_ENDIAN);
    wav.put(ascii("RIFF")).putInt(36 + dataLength).put(ascii("WAVE"));
    wav.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1);
    wav.putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
    wav.put(ascii("data")).putInt(dataLength);
    double phase = 0;
    for (int i = 0; i < samples; i++) {
      int second = i / sampleRate;
      double frequency = 220 * Math.pow(2, (second % 24) / 12.0);
      phase += 2 * Math.PI * frequency / sampleRate;
      double withinSecond = (i % sampleRate) / (double) sampleRate;
      double envelope = Math.min(1, Math.min(withinSecond, 1 - withinSecond) * 20);
      wav.putShort((short) (Math.sin(phase) * envelope * 0.25 * Short.MAX_VALUE));
    }
    return wav.array();
  }

  /**
   * Returns a PNG picture: a gradient with a few circles. Shapes only, so that it draws on a JDK
   * without fonts.
   *
   * @param width its width in pixels
   * @param height its height in pixels
   * @return the file's bytes
   */
  static byte[] picturePng(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(
          new GradientPaint(
              0, 0, new Color(0x23, 0x2f, 0x3e), width, height, new Color(0xff, 0x99, 0x00)));
      g.fillRect(0, 0, width, height);
      for (int i = 0; i < 7; i++) {
        int size = height / 3 + i * 12;
        g.setColor(new Color(255, 255, 255, 40 + i * 20));
        g.fillOval(width / 8 + i * width / 9, height / 2 - size / 2, size, size);
      }
    } finally {
      g.dispose();
    }
    var png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }

  /**
   * Returns a stream of {@code length} pseudo-random bytes, the same for the same seed: a large
   * file to download and resume, generated as it is read instead of held in memory.
   *
   * @param length the number of bytes
   * @param seed the seed
   * @return the stream
   */
  static InputStream randomBytes(long length, long seed) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private long left = length;
      private long word;
      private int wordBytes;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        if (wordBytes == 0) {
          word = random.nextLong();
          wordBytes = 8;
        }
        int b = (int) (word & 0xFF);
        word >>>= 8;
        wordBytes--;
        left--;
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int count) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(count, left);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = (byte) read();
        }
        return n;
      }
    };
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
