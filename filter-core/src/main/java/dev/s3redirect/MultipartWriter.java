package dev.s3redirect;

import dev.s3redirect.RepresentationHeaders.Header;
import dev.s3redirect.S3RedirectEvent.Outcome;
import dev.s3redirect.internal.http.MultipartByteRanges;
import dev.s3redirect.store.ByteRange;
import dev.s3redirect.store.ObjectContent;
import dev.s3redirect.store.ObjectMetadata;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@code multipart/byteranges} answer (RFC 9110 §14.6): the layout with its exact {@code
 * Content-Length}, then each part's headers and bytes. The first part comes from the body the
 * answer was decided on; each later one from a ranged {@code GetObject} pinned to the same version,
 * which the planner checks before a byte of it is sent.
 */
final class MultipartWriter {

  private final AnswerWriter writer;
  private final PartBody.Source parts;

  MultipartWriter(AnswerWriter writer, PartBody.Source parts) {
    this.writer = writer;
    this.parts = parts;
  }

  ExchangeResult write(Answer.ObjectParts answer) throws IOException {
    ObjectContent content = answer.first();
    ObjectMetadata object = content.metadata();
    List<ByteRange> ranges = answer.ranges();
    AppHeaders app = writer.takeOverForObject();
    var layout =
        MultipartByteRanges.withRandomBoundary(
            RepresentationHeaders.contentType(app, object), object.contentLength(), ranges);
    List<Header> headers = new ArrayList<>();
    for (Header header :
        RepresentationHeaders.forObject(app, object, writer.defaultCacheControl())) {
      headers.add(
          header.name().equals("Content-Type")
              ? new Header("Content-Type", layout.responseContentType())
              : header);
    }
    HttpServletResponse client = writer.client();
    ResponseWriter bytes = writer.bytes();
    bytes.writeHeaders(client, 206, headers, layout.contentLength());
    writer.bodyStarted();
    long sent = 0;
    Answer.Slice slice = answer.firstSlice();
    for (int i = 0; i < ranges.size(); i++) {
      if (i > 0) {
        PartBody part = parts.open(object, ranges.get(i));
        if (part instanceof PartBody.Unusable unusable) {
          return writer.cutShort(
              new Answer.CutShort(Outcome.UPSTREAM_FAILED_AFTER_COMMIT, unusable.why()), sent);
        }
        content = ((PartBody.Usable) part).body();
        slice = ((PartBody.Usable) part).slice();
      }
      ResponseWriter.Streamed header = bytes.writeBytes(client, layout.partHeader(i));
      sent += header.bytesSent();
      if (header.ending() != ResponseWriter.Ending.COMPLETE) {
        return writer.afterCopy(content, 206, header, sent, false).orElseThrow();
      }
      Optional<ExchangeResult> ended = writer.skip(content, slice.skip(), sent);
      if (ended.isPresent()) {
        return ended.get();
      }
      ResponseWriter.Streamed body = bytes.copyBody(content, client, slice.length());
      sent += body.bytesSent();
      ended = writer.afterCopy(content, 206, body, sent, slice.readsToTheEnd());
      if (ended.isPresent()) {
        return ended.get();
      }
    }
    ResponseWriter.Streamed end = bytes.writeBytes(client, layout.closeDelimiter());
    sent += end.bytesSent();
    Outcome outcome =
        end.ending() == ResponseWriter.Ending.COMPLETE ? Outcome.SERVED : Outcome.CLIENT_ABORTED;
    return new ExchangeResult(outcome, 206, sent, "");
  }
}
