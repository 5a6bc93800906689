package dev.vlltr.stage.textcrawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.StageConfig;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageRunner;
import dev.vlltr.runtime.cli.StageTracking;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stage reports to the tracking run (through the runtime's tracking port). */
class TextCrawlTrackingTest {

    /** Records every tracking call. */
    static final class Recording implements StageTracking {
        final Map<String, String> params = new LinkedHashMap<>();
        final List<StageContext.MetricPoint> metrics = new ArrayList<>();
        final List<String> artifacts = new ArrayList<>();
        Boolean success;

        @Override
        public void started(String stage, String runId, Map<String, String> p, Map<String, String> tags) {
            params.putAll(p);
        }

        @Override
        public void metrics(List<StageContext.MetricPoint> points) {
            metrics.addAll(points);
        }

        @Override
        public void artifact(Path file) {
            artifacts.add(file.getFileName().toString());
        }

        @Override
        public void finished(boolean ok) {
            success = ok;
        }

        double last(String key) {
            return metrics.stream().filter(m -> m.key().equals(key)).reduce((a, b) -> b).orElseThrow().value();
        }
    }

    @Test
    void statsFileAndSentenceCountsAreLogged(@TempDir Path tmp) throws Exception {
        Recording tracking = new Recording();
        try (ArtifactStores store = ArtifactStores.fromEnv()) {
            StageRunner runner = new StageRunner(store, tmp.resolve("work"), new XcomWriter(tmp.resolve("no-xcom")),
                    tracking);
            StageConfig cfg = new StageConfig("t1", tmp.resolve("root").toString(), null, null, Map.of(),
                    Map.of("sources", "templates", "classes", "Sandal,Bag"));
            TextCrawlCommand command = new TextCrawlCommand();
            runner.run(TextCrawlCommand.DEFINITION, cfg, false, command::execute);
        }
        assertEquals(Boolean.TRUE, tracking.success);
        assertEquals("templates", tracking.params.get("sources"));
        assertEquals(2.0, tracking.last("classes"));
        assertEquals(160.0, tracking.last("sentences_total"));
        assertEquals(160.0, tracking.last("sentences_templates"));
        assertEquals(80.0, tracking.last("sentences_min_per_class"));
        // one point per class, step = class id
        List<Long> steps = tracking.metrics.stream().filter(m -> m.key().equals("sentences_per_class"))
                .map(StageContext.MetricPoint::step).toList();
        assertEquals(List.of(5L, 8L), steps);
        assertTrue(tracking.artifacts.contains("corpus-stats.json"), tracking.artifacts.toString());
    }
}
