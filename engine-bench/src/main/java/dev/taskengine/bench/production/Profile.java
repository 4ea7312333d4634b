package dev.taskengine.bench.production;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one thread spent its time, from a Flight Recorder recording made in this JVM (as {@code
 * -XX:StartFlightRecording} would, then {@code jfr print --events jdk.ExecutionSample}): its samples in Java code, each
 * put in the first of the {@link Bucket}s that one of its frames falls in, its samples in native code
 * (waiting on the database's socket), and the methods on top of its Java samples.
 */
final class Profile {
    /** A part of the work: the samples with a frame whose {@code Class.method} starts with one of {@code frames}. */
    record Bucket(String name, List<String> frames) {}

    /** What the samples say. */
    record Summary(int javaSamples, int nativeSamples, Map<String, Integer> buckets, Map<String, Integer> topFrames) {
        String render(Duration period) {
            StringBuilder text = new StringBuilder(String.format(
                    Locale.ROOT,
                    "JFR, one sample every %d ms of the calling thread: %d in Java, %d in native code (waiting on the"
                            + " database's socket)%n%nJava samples by part of the work:%n",
                    period.toMillis(),
                    javaSamples,
                    nativeSamples));
            buckets.forEach((bucket, count) -> text.append(line(count, javaSamples, bucket)));
            text.append("\nTop frames of the Java samples:\n");
            topFrames.forEach((frame, count) -> text.append(line(count, javaSamples, frame)));
            return text.toString();
        }

        private static String line(int count, int total, String what) {
            return String.format(Locale.ROOT, "%6d  %5.1f %%  %s%n", count, 100.0 * count / Math.max(1, total), what);
        }
    }

    private final Recording recording = new Recording();
    private final Duration period;

    private Profile(Duration period) {
        this.period = period;
        recording.enable("jdk.ExecutionSample").withPeriod(period);
        recording.enable("jdk.NativeMethodSample").withPeriod(period);
    }

    static Profile start(Duration period) {
        Profile profile = new Profile(period);
        profile.recording.start();
        return profile;
    }

    Duration period() {
        return period;
    }

    /** Stops the recording and sorts the samples of {@code thread} into {@code buckets} (the rest: "other"). */
    Summary stop(Thread thread, List<Bucket> buckets) throws IOException {
        recording.stop();
        Path file = Files.createTempFile("sequence-reassign", ".jfr");
        try {
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            int nativeSamples = 0;
            Map<String, Integer> byBucket = new LinkedHashMap<>();
            buckets.forEach(b -> byBucket.put(b.name(), 0));
            byBucket.put("other", 0);
            Map<String, Integer> byTop = new TreeMap<>();
            int javaSamples = 0;
            for (RecordedEvent event : events) {
                String type = event.getEventType().getName();
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                RecordedThread sampled = event.getThread("sampledThread");
                if (sampled == null || sampled.getJavaThreadId() != thread.getId() || event.getStackTrace() == null) {
                    continue;
                }
                if (type.equals("jdk.NativeMethodSample")) {
                    nativeSamples++;
                    continue;
                }
                javaSamples++;
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                byBucket.merge(bucket(frames, buckets), 1, Integer::sum);
                if (!frames.isEmpty()) {
                    byTop.merge(frame(frames.get(0)), 1, Integer::sum);
                }
            }
            return new Summary(javaSamples, nativeSamples, byBucket, top(byTop, 15));
        } finally {
            recording.close();
            Files.deleteIfExists(file);
        }
    }

    private static String bucket(List<RecordedFrame> frames, List<Bucket> buckets) {
        for (Bucket bucket : buckets) {
            for (RecordedFrame frame : frames) {
                String name = frame(frame);
                if (bucket.frames().stream().anyMatch(name::startsWith)) {
                    return bucket.name();
                }
            }
        }
        return "other";
    }

    private static String frame(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static Map<String, Integer> top(Map<String, Integer> counts, int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }
}
