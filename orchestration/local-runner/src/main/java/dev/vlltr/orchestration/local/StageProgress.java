package dev.vlltr.orchestration.local;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a running stage is, read from the progress lines its training loops log ({@code cvlp epoch 2/10 45% [...]},
 * the stage runtime's {@code Progress} in plain mode), and when it will be done at the rate seen so far.
 */
final class StageProgress {

    private static final Pattern PERCENT = Pattern.compile("(?<![\\d.])(\\d{1,3})%");
    private static final Pattern EPOCH = Pattern.compile("epoch (\\d+)/(\\d+)");
    private static final Pattern EPOCH_ALONE = Pattern.compile("epoch (\\d+)");

    private double fraction = -1;
    private double firstFraction = -1;
    private long firstNanos;
    private long lastNanos;
    private String label = "";

    /** Takes a log line; lines that are not progress lines are ignored. */
    void accept(String line, long nowNanos) {
        Matcher pct = PERCENT.matcher(line);
        if (!line.contains("epoch") || !pct.find()) {
            return;
        }
        double inEpoch = Math.min(100, Integer.parseInt(pct.group(1))) / 100.0;
        Matcher epoch = EPOCH.matcher(line);
        double f;
        if (epoch.find()) {
            int e = Integer.parseInt(epoch.group(1));
            int n = Math.max(1, Integer.parseInt(epoch.group(2)));
            f = Math.min(1, (Math.max(0, e - 1) + inEpoch) / n);
            label = "epoch " + e + "/" + n;
        } else {
            f = -1;   // an epoch of unknown many: no stage fraction, but the epoch's own percentage
            Matcher name = EPOCH_ALONE.matcher(line);
            label = (name.find() ? "epoch " + name.group(1) + " " : "") + Math.round(100 * inEpoch) + "%";
        }
        if (f >= 0 && firstFraction < 0) {
            firstFraction = f;
            firstNanos = nowNanos;
        }
        fraction = f;
        lastNanos = nowNanos;
    }

    /** The stage's completed fraction in [0, 1], when its progress lines say. */
    OptionalDouble fraction() {
        return fraction < 0 ? OptionalDouble.empty() : OptionalDouble.of(fraction);
    }

    /** The last progress label ({@code epoch 2/10}), empty before the first progress line. */
    String label() {
        return label;
    }

    /** Time left at the rate between the first and the latest progress line. */
    Optional<Duration> eta() {
        if (fraction < 0 || firstFraction < 0 || fraction <= firstFraction || lastNanos <= firstNanos) {
            return Optional.empty();
        }
        double rate = (fraction - firstFraction) / (lastNanos - firstNanos);
        return Optional.of(Duration.ofNanos((long) ((1 - fraction) / rate)));
    }
}
