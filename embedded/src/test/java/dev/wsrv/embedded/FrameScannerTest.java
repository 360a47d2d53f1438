package dev.wsrv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameScannerTest {

    private final FrameScanner scanner = new FrameScanner();

    @Test
    void aHeaderSplitAcrossReadsIsReadWholeAndItsPayloadPassed() {
        // masked text frame, 64-bit length 70,000, then the first payload bytes
        byte[] head = {(byte) 0x81, (byte) 0xFF, 0, 0, 0, 0, 0, 1, 0x11, 0x70, 1, 2, 3, 4};
        ByteBuffer first = ByteBuffer.wrap(head, 0, 5);
        assertThat(scanner.readHeader(first)).isNull();
        assertThat(first.hasRemaining()).isFalse();
        ByteBuffer rest = ByteBuffer.allocate(head.length - 5 + 10);
        rest.put(head, 5, head.length - 5).put(new byte[10]).flip();
        FrameScanner.Header h = scanner.readHeader(rest);
        assertThat(h).isEqualTo(new FrameScanner.Header(1, true, 0, true, 70_000));
        scanner.skipPayload(rest);
        assertThat(rest.hasRemaining()).isFalse();
        assertThat(scanner.readHeader(ByteBuffer.wrap(new byte[] {(byte) 0x89}))).as("payload still running").isNull();
    }

    @Test
    void consecutiveFramesInOneReadAreEachJudged() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {
                (byte) 0x89, (byte) 0x81, 1, 2, 3, 4, 9,          // masked ping, 1 byte
                (byte) 0xC2, 0x02, 7, 7});                        // unmasked binary with RSV1, 2 bytes
        FrameScanner.Header ping = scanner.readHeader(b);
        assertThat(ping).isEqualTo(new FrameScanner.Header(9, true, 0, true, 1));
        assertThat(ping.control()).isTrue();
        scanner.skipPayload(b);
        FrameScanner.Header bin = scanner.readHeader(b);
        assertThat(bin).isEqualTo(new FrameScanner.Header(2, true, 4, false, 2));
        scanner.skipPayload(b);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void aLengthWithItsTopBitSetIsNegative() {
        byte[] head = {(byte) 0x81, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertThat(scanner.readHeader(ByteBuffer.wrap(head)).length()).isNegative();
    }
}
