package dev.wsrv.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader's place in the stream and its verdict on what XINFO STREAM reports. */
class StreamPositionTest {

    @Test
    void idsCompareAsTwoUnsignedNumbers() {
        assertThat(StreamPosition.compare("10-0", "9-99")).isPositive();
        assertThat(StreamPosition.compare("10-2", "10-10")).isNegative();
        assertThat(StreamPosition.compare("10-2", "10-2")).isZero();
        assertThat(StreamPosition.compare("18446744073709551615-0", "1-0")).isPositive();
        assertThat(StreamPosition.before("10-3")).isEqualTo("10-2");
        assertThat(StreamPosition.before("10-0")).isEqualTo("9-18446744073709551615");
    }

    @Test
    void theReplyOfXinfoStreamIsRead() {
        StreamPosition.Info info = StreamPosition.Info.parse(List.of("length", 2L, "radix-tree-keys", 1L,
                "last-generated-id", "1700-4", "max-deleted-entry-id", "0-0", "entries-added", 5L, "groups", 0L,
                "first-entry", List.of("1700-3", List.of("m", "x")),
                "last-entry", List.of("1700-4", List.of("m", "y"))));
        assertThat(info).isEqualTo(new StreamPosition.Info(true, "1700-4", "1700-3", 2, 5));
        // Redis 6 has no entries-added; an empty stream has no first entry
        assertThat(StreamPosition.Info.parse(List.of("length", 0L, "last-generated-id", "5-0", "first-entry",
                List.of()))).isEqualTo(new StreamPosition.Info(true, "5-0", null, 0, -1));
        assertThatThrownBy(() -> StreamPosition.Info.parse(List.of("length", 0L)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReaderThatReadEverythingStillHeldLostNothing() {
        StreamPosition p = started("100-0", 10);
        p.advance("101-0");
        p.advance("102-0");
        // its last entry is still held, or the oldest held comes right after it
        assertThat(p.lost(new StreamPosition.Info(true, "150-0", "90-0", 30, 40))).isNull();
        assertThat(p.lost(new StreamPosition.Info(true, "150-0", "103-0", 28, 40))).isNull();
        assertThat(p.lastId()).isEqualTo("102-0");
    }

    @Test
    void entriesTrimmedBeforeTheReaderGotThereAreCountedAndReportedOnce() {
        StreamPosition p = started("100-0", 10);
        p.advance("101-0");
        // 29 added after 101-0, 20 held from 200-0: 9 are gone
        StreamPosition.Info info = new StreamPosition.Info(true, "300-0", "200-0", 20, 40);
        assertThat(p.lost(info)).isEqualTo("9 entries were trimmed before this node read them");
        assertThat(p.lost(info)).isNull();
        assertThat(p.lastId()).isEqualTo("199-18446744073709551615");
        p.advance("200-0");
        assertThat(p.lost(new StreamPosition.Info(true, "300-0", "250-0", 15, 40))).isEqualTo(
                "4 entries were trimmed before this node read them");
    }

    @Test
    void withoutTheCounterAnOldestEntryAfterThePlaceIsALoss() {
        StreamPosition p = started("100-0", -1);
        assertThat(p.lost(new StreamPosition.Info(true, "300-0", "100-0", 20, -1))).isNull();
        assertThat(p.lost(new StreamPosition.Info(true, "300-0", "200-0", 20, -1)))
                .isEqualTo("entries were trimmed before this node read them");
        assertThat(p.lost(new StreamPosition.Info(true, "300-0", "200-0", 20, -1))).isNull();
    }

    @Test
    void aStreamThatIsGoneOrCameBackNewStartsOverFromItsFirstEntry() {
        StreamPosition p = started("100-0", 10);
        assertThat(p.lost(StreamPosition.Info.ABSENT)).isEqualTo("the stream is gone");
        assertThat(p.lastId()).isEqualTo(StreamPosition.START);
        assertThat(p.lost(StreamPosition.Info.ABSENT)).isNull();

        StreamPosition q = started("100-0", 10);
        assertThat(q.lost(new StreamPosition.Info(true, "50-0", "40-0", 3, 3)))
                .isEqualTo("the stream was deleted and created again");
        assertThat(q.lastId()).isEqualTo(StreamPosition.START);

        StreamPosition r = started("100-0", 10);
        assertThat(r.lost(new StreamPosition.Info(true, "150-0", "140-0", 3, 3)))
                .isEqualTo("the stream was deleted and created again");
    }

    @Test
    void aNewReaderStartsAtTheEndOfWhatExists() {
        StreamPosition p = new StreamPosition();
        assertThat(p.known()).isFalse();
        p.startAtEnd(StreamPosition.Info.ABSENT);
        assertThat(p.lastId()).isEqualTo(StreamPosition.START);
        p.advance("5-0");
        assertThat(p.lost(new StreamPosition.Info(true, "5-0", "5-0", 1, 1))).isNull();
    }

    private static StreamPosition started(String last, long added) {
        StreamPosition p = new StreamPosition();
        p.startAtEnd(new StreamPosition.Info(true, last, "1-0", 5, added));
        assertThat(p.known()).isTrue();
        return p;
    }
}
