package dev.s3redirect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayAndProcTest {

  @Test
  void requestLinesAreFoundAcrossReads() {
    KeyCountingRelay.RequestHeads heads = new KeyCountingRelay.RequestHeads();
    byte[] a =
        "GET /bench/dir/a.bin?x-id=GetObject HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] b = "ench/b.bin HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    assertThat(heads.feed(a, 0, a.length))
        .containsExactly("GET /bench/dir/a.bin?x-id=GetObject HTTP/1.1");
    assertThat(heads.feed(b, 0, b.length)).containsExactly("HEAD /bench/b.bin HTTP/1.1");
    assertThat(KeyCountingRelay.RequestHeads.key("GET /bench/dir/a.bin?x HTTP/1.1"))
        .isEqualTo("dir/a.bin");
    assertThat(KeyCountingRelay.RequestHeads.key("GET / HTTP/1.1")).isEmpty();
  }

  @Test
  void establishedConnectionsToAPortFromProcNetTcp() {
    List<String> lines =
        List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0",
            "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 0",
            "   2: 0100007F:C351 0100007F:1F90 06 00000000:00000000 00:00000000 00000000 0",
            "   3: 0000000000000000FFFF00000100007F:C352 0000000000000000FFFF00000100007F:1F90 01 0");
    assertThat(TcpConnections.establishedTo(lines, 0x1F90)).isEqualTo(2);
    assertThat(TcpConnections.establishedTo(lines, 80)).isZero();
  }

  @Test
  void samplesAreChargedToTheFirstLayerBelowTheTop() {
    assertThat(
            JfrSummary.owner(
                List.of(
                    "java.util.HashMap",
                    "software.amazon.awssdk.utils.BinaryUtils",
                    "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner",
                    "software.amazon.awssdk.core.internal.http.pipeline.stages.SigningStage")))
        .isEqualTo(JfrSummary.Layer.SIGNING);
    assertThat(
            JfrSummary.owner(
                List.of(
                    "sun.nio.ch.SocketDispatcher",
                    "org.apache.hc.core5.http.impl.io.SessionInputBufferImpl",
                    "software.amazon.awssdk.core.internal.http.pipeline.stages.MakeHttpRequestStage")))
        .isEqualTo(JfrSummary.Layer.HTTP_CLIENT);
    assertThat(JfrSummary.owner(List.of("java.lang.Thread", "dev.s3redirect.bench.AppServlets")))
        .isEqualTo(JfrSummary.Layer.OTHER);
    assertThat(JfrSummary.layerOf("dev.s3redirect.store.S3ObjectStore"))
        .isEqualTo(JfrSummary.Layer.STORE);
    assertThat(JfrSummary.layerOf("dev.s3redirect.ResponseWriter"))
        .isEqualTo(JfrSummary.Layer.FILTER);
    assertThat(JfrSummary.layerOf("software.amazon.awssdk.http.apache5.Apache5HttpClient"))
        .isEqualTo(JfrSummary.Layer.HTTP_CLIENT);
  }

  @Test
  void allocationDuringTheRecordingPerThread() {
    // thread 1: 100 → 600; thread 2 only at the end (started during it): 300; thread 3 only at
    // the start (ended during it): lost.
    var m =
        java.util.Map.of(
            1L, List.of(new long[] {0, 100}, new long[] {10_000, 600}),
            2L, List.<long[]>of(new long[] {10_000, 300}),
            3L, List.<long[]>of(new long[] {0, 50}));
    assertThat(JfrSummary.allocatedDuring(m)).isEqualTo(800);
  }

  @Test
  void requestThreadsAreCountedByWhatTheirStacksShow() {
    String dump =
        """
        "child-app-1" #20 prio=5 os_prio=0 cpu=1.00ms elapsed=9.00s tid=0x1 nid=0x2 waiting on condition
           java.lang.Thread.State: TIMED_WAITING (parking)
        	at org.apache.hc.core5.pool.StrictConnPool$1.get(StrictConnPool.java:178)

        "child-app-2" #21 prio=5 os_prio=0 cpu=1.00ms elapsed=9.00s tid=0x1 nid=0x2 runnable
        	at org.eclipse.jetty.io.ManagedSelector.nioSelect(ManagedSelector.java:181)

        "child-app-3" #22 prio=5 os_prio=0 cpu=1.00ms elapsed=9.00s tid=0x1 nid=0x2 waiting
        	at org.apache.hc.core5.pool.StrictConnPool$1.get(StrictConnPool.java:178)

        "main" #1 prio=5 os_prio=0 cpu=1.00ms elapsed=9.00s tid=0x1 nid=0x2 waiting
        	at java.lang.Thread.sleep(Native Method)
        """;
    var counts = ThreadStates.classify(dump, "child-app");
    assertThat(counts)
        .containsEntry("waiting for an S3 connection from the pool", 2)
        .containsEntry("Jetty selector or acceptor", 1)
        .hasSize(2);
    assertThat(ThreadStates.text(counts))
        .isEqualTo("2 waiting for an S3 connection from the pool, 1 Jetty selector or acceptor");
  }
}
