package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.orchestration.StageExecution;
import dev.vlltr.orchestration.local.LocalRun.Outcome;
import dev.vlltr.orchestration.local.LocalRun.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's console: status lines, progress and ETA, headline metrics, failures; plain output has no redraws. */
class ConsoleDisplayTest {

    static final StageExecution LGR = new StageExecution("lgr", null, List.of(), URI.create("file:///m/lgr.json"));
    static final StageExecution CRT = new StageExecution("recalibration", "crt", List.of(),
            URI.create("file:///m/crt.json"));

    /** A clock the test moves by hand. */
    static final class ManualClock implements ConsoleDisplay.Clock {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }

    static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainOutputHasOneLinePerStageNoCarriageReturnsAndTopOneFirst() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ManualClock clock = new ManualClock();
        ConsoleDisplay d = new ConsoleDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleDisplay.Mode.PLAIN, Path.of("/w/logs/r1"), clock);
        d.started(List.of(LGR, CRT));
        d.stageStarted(0, LGR);
        for (int i = 0; i < 30; i++) {   // 30 s of log lines: below the plain progress interval
            clock.advance(Duration.ofSeconds(1));
            d.stageOutput(LGR, "INFO [progress] lgr epoch 1/2 " + (i * 3) + "% [===   ]");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("epochs", 2.0);
        metrics.put("train_images", 14870.0);
        metrics.put("loss", 0.41234);
        metrics.put("val/top1", 0.8512);
        metrics.put("test/top1", 0.8673);
        d.stageFinished(0, LGR, new Outcome("lgr", Status.RAN, Duration.ofSeconds(65), metrics, LGR.manifest(),
                Path.of("/w/logs/r1/lgr.log"), 0));
        d.stageStarted(1, CRT);
        d.stageFinished(1, CRT, new Outcome("recalibration[crt]", Status.MEMOISED, Duration.ofMillis(900),
                Map.of("registered_version", 2.0), CRT.manifest(), Path.of("/w/logs/r1/crt.log"), 0));
        d.finished(List.of());

        String out = text(bytes);
        assertFalse(out.contains("\r"), "no carriage-return redraws when stdout is not a terminal: " + out);
        assertTrue(out.contains("Stage logs: /w/logs/r1/<stage>.log (--verbose streams them)"), out);
        List<String> lines = out.lines().toList();
        assertEquals("[1/2] lgr                done       1m05s  test/top1=0.8673 val/top1=0.8512 epochs=2"
                + " train_images=14870 loss=0.4123", lines.get(2));
        assertEquals("[2/2] recalibration[crt] memoised    0.9s  registered_version=2", lines.get(3));
        assertEquals(5, lines.size(), out);   // plan, logs, two stage lines, total
    }

    @Test
    void plainOutputReportsProgressAtMostOnceAMinute() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ManualClock clock = new ManualClock();
        ConsoleDisplay d = new ConsoleDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleDisplay.Mode.PLAIN, Path.of("/w"), clock);
        d.started(List.of(LGR));
        d.stageStarted(0, LGR);
        for (int s = 1; s <= 150; s++) {
            clock.advance(Duration.ofSeconds(1));
            // epoch 1 of 4 goes from 0 % to 100 % in 150 s: a quarter of the stage per 150 s
            d.stageOutput(LGR, "lgr epoch 1/4 " + (int) (s / 1.5) + "% [==>  ]");
        }
        List<String> running = text(bytes).lines().filter(l -> l.contains(" running ")).toList();
        assertEquals(2, running.size(), text(bytes));
        // at 60 s: 40 % of epoch 1/4 = 10 %, rate 0.1/60 s from the first line at 1 s: 9 min left
        assertTrue(running.get(0).matches(".*running 10% epoch 1/4, ETA 8m5\\ds, 1m00s elapsed"), running.get(0));
    }

    @Test
    void terminalRedrawsInPlaceWithABar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ManualClock clock = new ManualClock();
        ConsoleDisplay d = new ConsoleDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleDisplay.Mode.TERMINAL, Path.of("/w"), clock);
        d.started(List.of(LGR));
        d.stageStarted(0, LGR);
        clock.advance(Duration.ofSeconds(10));
        d.stageOutput(LGR, "cvlp epoch 2/2 50% [====   ]");
        String out = text(bytes);
        assertTrue(out.contains("\r\033[2K[1/1] lgr [###############.....] 75% epoch 2/2, 10.0s elapsed"), out);
    }

    @Test
    void verboseStreamsEveryLogLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleDisplay d = new ConsoleDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleDisplay.Mode.VERBOSE, Path.of("/w"), new ManualClock());
        d.started(List.of(LGR));
        d.stageStarted(0, LGR);
        d.stageOutput(LGR, "INFO loading the dataset");
        d.stageOutput(LGR, "INFO epoch 1 done");
        String out = text(bytes);
        assertTrue(out.contains("  lgr | INFO loading the dataset\n  lgr | INFO epoch 1 done\n"), out);
        assertFalse(out.contains("\r"), out);
    }

    @Test
    void aFailedStageShowsItsLastTwentyLogLinesAndItsError(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("lgr.log");
        List<String> lines = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> "line " + i).toList());
        lines.add(35, "error: stage lgr failed: java.lang.IllegalStateException: boom");
        Files.write(log, lines);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleDisplay d = new ConsoleDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                ConsoleDisplay.Mode.PLAIN, tmp, new ManualClock());
        d.started(List.of(LGR));
        d.stageStarted(0, LGR);
        d.stageFinished(0, LGR, new Outcome("lgr", Status.FAILED, Duration.ofSeconds(3), Map.of(), LGR.manifest(),
                log, 1));
        String out = text(bytes);
        assertTrue(out.contains("[1/1] lgr FAILED      3.0s  exit code 1, log " + log), out);
        assertTrue(out.contains("last 20 lines of " + log), out);
        assertTrue(out.contains("    line 21\n") && out.contains("    line 39\n") && !out.contains("line 20\n"), out);
        assertTrue(out.strip().endsWith("error: stage lgr failed: java.lang.IllegalStateException: boom"), out);
    }

    @Test
    void headlineValuesAreIntegersWhenWholeAndNeverScientificForCounts() {
        assertEquals("14870", HeadlineMetrics.value(14870.0));
        assertEquals("2", HeadlineMetrics.value(2.0));
        assertEquals("0.8673", HeadlineMetrics.value(0.86734));
        assertEquals("1.235e+06", HeadlineMetrics.value(1234567.5));
        assertEquals("NaN", HeadlineMetrics.value(Double.NaN));
        Map<String, Double> many = new LinkedHashMap<>();
        for (int i = 0; i < 9; i++) {
            many.put("m" + i, (double) i);
        }
        many.put("selected/test/top1", 0.5);
        assertEquals("selected/test/top1=0.5000 m0=0 m1=1 m2=2 m3=3", HeadlineMetrics.format(many));
    }

    @Test
    void logFollowerHandsOverOnlyNewCompleteLines(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("s.log");
        Files.writeString(log, "an earlier attempt\n");
        LogFollower f = new LogFollower(log);
        assertEquals(List.of(), f.newLines());
        Files.writeString(log, "first\nsecond\r", java.nio.file.StandardOpenOption.APPEND);
        Files.write(log, new byte[] {'t', 'h', (byte) 0xC3}, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("first", "second"), f.newLines());
        Files.write(log, new byte[] {(byte) 0xA9, 'r', 'd', '\n', 'e', 'n', 'd'},
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("thérd"), f.newLines(), "a UTF-8 character split between polls stays whole");
        assertEquals(java.util.Optional.of("end"), f.rest());
    }
}
