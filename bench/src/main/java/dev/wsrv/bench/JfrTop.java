package dev.wsrv.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording: the hottest methods by CPU samples (self and inclusive), the wsrv frames by
 * inclusive share, allocation by class and by allocating wsrv frame, and lock contention.
 * Usage: {@code JfrTop recording.jfr [top-n]}.
 */
public final class JfrTop {

    private JfrTop() {
    }

    /**
     * Prints the summary.
     *
     * @param args the recording, optionally the number of rows
     * @throws Exception if it cannot be read
     */
    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> incl = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> allocSite = new HashMap<>();
        Map<String, Long> locks = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        long samples = 0;
        long allocTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = st.getFrames();
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (seen.add(n)) {
                            incl.merge(n, 1L, Long::sum);
                        }
                    }
                    String t = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                    threads.merge(t == null ? "?" : t.replaceAll("[0-9]+", "N"), 1L, Long::sum);
                }
                case "jdk.ObjectAllocationSample" -> {
                    long w = e.getLong("weight");
                    allocTotal += w;
                    allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                    if (st != null) {
                        allocSite.merge(firstInteresting(st), w, Long::sum);
                    }
                }
                case "jdk.JavaMonitorEnter", "jdk.ThreadPark" -> {
                    long ns = e.getDuration().toNanos();
                    locks.merge(type.substring(4) + " " + (st == null ? "?" : firstInteresting(st)), ns, Long::sum);
                }
                default -> {
                    // other events are not summarised
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d CPU samples%n", samples);
        print("CPU self (top frame)", self, samples, top, "");
        print("CPU inclusive", incl, samples, top, "");
        print("CPU inclusive, wsrv and codec frames", filter(incl, "dev.wsrv", "jakarta.json", "org.eclipse.parsson",
                "org.eclipse.yasson"), samples, top, "");
        print("CPU by thread", threads, samples, 10, "");
        print("Allocation by class (sampled weight)", allocClass, allocTotal, top, "");
        print("Allocation by first wsrv/codec frame", allocSite, allocTotal, top, "");
        print("Blocking (monitor enter, park) by first wsrv/app frame, total ms", locks, -1, 15, "");
    }

    private static Map<String, Long> filter(Map<String, Long> m, String... prefixes) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> {
            for (String p : prefixes) {
                if (k.startsWith(p)) {
                    out.put(k, v);
                }
            }
        });
        return out;
    }

    private static String firstInteresting(RecordedStackTrace st) {
        for (RecordedFrame f : st.getFrames()) {
            String n = name(f);
            if (n.startsWith("dev.wsrv") || n.startsWith("org.eclipse.parsson") || n.startsWith("org.eclipse.yasson")
                    || n.startsWith("org.glassfish.tyrus")) {
                return n;
            }
        }
        return st.getFrames().isEmpty() ? "?" : name(st.getFrames().get(0));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> m, long total, int top, String unit) {
        System.out.printf("%n== %s%n", title);
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(en -> {
                    if (total > 0) {
                        System.out.printf(Locale.ROOT, "%6.2f%%  %s%n", 100.0 * en.getValue() / total, en.getKey());
                    } else {
                        System.out.printf(Locale.ROOT, "%8.1f  %s%n", en.getValue() / 1e6, en.getKey());
                    }
                });
    }
}
