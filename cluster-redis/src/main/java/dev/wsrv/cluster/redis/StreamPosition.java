package dev.wsrv.cluster.redis;

import java.util.List;

/**
 * Where one node's reader stands in the cluster's stream, and whether entries after that place are gone without
 * having been read. Used by the reader thread only; not thread-safe.
 *
 * <p>The place is the id of the last entry read and, on Redis 7 and newer, the value the stream's
 * {@code entries-added} counter had when that entry was added. Entries after the place that the stream no longer
 * holds were trimmed unread: {@code entries-added} minus the counter is how many were added after the place, and
 * when the oldest entry the stream holds is newer than the place, everything it holds is after it; more added than
 * held means some are lost. Without the counter (Redis 5 and 6), an oldest entry newer than the place counts as a
 * loss, which over-reports only for a reader that is a whole stream length behind.
 */
final class StreamPosition {

    /** The id before every entry. */
    static final String START = "0-0";

    private String lastId;
    /** The stream's entries-added counter at {@link #lastId}; -1 when Redis does not report it. */
    private long counter = -1;

    /** Whether the position has been taken from the stream yet. */
    boolean known() {
        return lastId != null;
    }

    /** The id to read after. */
    String lastId() {
        return lastId;
    }

    /** Starts at the stream's end: what was added before is not this node's to deliver. */
    void startAtEnd(Info info) {
        lastId = info.exists() ? info.lastGenerated() : START;
        counter = info.exists() ? info.entriesAdded() : 0;
    }

    /** Starts before the first entry, for a stream that is new to this node (Redis lost the old one). */
    void restart() {
        lastId = START;
        counter = 0;
    }

    /** An entry was read. */
    void advance(String id) {
        lastId = id;
        if (counter >= 0) {
            counter++;
        }
    }

    /**
     * Tells whether entries after this position were dropped before this node read them, and moves the position
     * past what is gone so that the same loss is not reported twice.
     *
     * @param info the stream now
     * @return why entries were lost, or {@code null} when none were
     */
    String lost(Info info) {
        if (!info.exists()) {
            if (START.equals(lastId)) {
                return null;
            }
            restart();
            return "the stream is gone";
        }
        if (compare(info.lastGenerated(), lastId) < 0
                || (info.entriesAdded() >= 0 && counter >= 0 && info.entriesAdded() < counter)) {
            restart();
            return "the stream was deleted and created again";
        }
        // no id fits between an id and the one just before it: nothing can be missing then
        boolean oldestAfterPlace = info.length() == 0
                ? compare(info.lastGenerated(), lastId) > 0
                : compare(info.firstEntry(), lastId) > 0 && !lastId.equals(before(info.firstEntry()));
        if (!oldestAfterPlace) {
            return null;
        }
        boolean counted = info.entriesAdded() >= 0 && counter >= 0;
        long missing = counted ? info.entriesAdded() - counter - info.length() : -1;
        if (counted && missing <= 0) {
            return null;
        }
        // from now on the oldest entry held is the next one to read
        lastId = info.length() == 0 ? info.lastGenerated() : before(info.firstEntry());
        counter = info.entriesAdded() >= 0 ? info.entriesAdded() - info.length() : -1;
        return (counted ? missing + " entries were" : "entries were") + " trimmed before this node read them";
    }

    /** The id just before another: reading after it starts with that one. */
    static String before(String id) {
        long ms = millis(id);
        long seq = sequence(id);
        return seq != 0 ? Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq - 1)
                : Long.toUnsignedString(ms - 1) + "-" + Long.toUnsignedString(-1L);
    }

    /** Compares two stream ids ({@code <ms>-<seq>}, both unsigned 64-bit numbers). */
    static int compare(String a, String b) {
        int c = Long.compareUnsigned(millis(a), millis(b));
        return c != 0 ? c : Long.compareUnsigned(sequence(a), sequence(b));
    }

    private static long millis(String id) {
        return Long.parseUnsignedLong(id.substring(0, id.indexOf('-')));
    }

    private static long sequence(String id) {
        return Long.parseUnsignedLong(id.substring(id.indexOf('-') + 1));
    }

    /**
     * What {@code XINFO STREAM} says about the stream.
     *
     * @param exists whether the key exists
     * @param lastGenerated the id of the last entry ever added
     * @param firstEntry the id of the oldest entry held, {@code null} when it holds none
     * @param length how many entries it holds
     * @param entriesAdded how many entries were ever added, -1 when Redis does not say (before 7)
     */
    record Info(boolean exists, String lastGenerated, String firstEntry, long length, long entriesAdded) {

        /** A stream that does not exist. */
        static final Info ABSENT = new Info(false, START, null, 0, 0);

        /**
         * Reads the reply of {@code XINFO STREAM}: alternating names and values, the first entry as {@code [id,
         * fields]}.
         *
         * @param reply the reply
         * @return the values
         * @throws IllegalArgumentException if the reply lacks the last generated id
         */
        static Info parse(List<Object> reply) {
            String lastGenerated = null;
            String first = null;
            long length = 0;
            long added = -1;
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                Object value = reply.get(i + 1);
                switch (String.valueOf(reply.get(i))) {
                    case "last-generated-id" -> lastGenerated = String.valueOf(value);
                    case "length" -> length = ((Number) value).longValue();
                    case "entries-added" -> added = ((Number) value).longValue();
                    case "first-entry" -> first = value instanceof List<?> l && !l.isEmpty()
                            ? String.valueOf(l.get(0)) : null;
                    default -> {
                        // the other fields say nothing about lost entries
                    }
                }
            }
            if (lastGenerated == null) {
                throw new IllegalArgumentException("XINFO STREAM without last-generated-id");
            }
            return new Info(true, lastGenerated, first, length, added);
        }
    }
}
