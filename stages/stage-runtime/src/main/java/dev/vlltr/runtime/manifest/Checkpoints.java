package dev.vlltr.runtime.manifest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-epoch checkpoints of a long stage, in the artifact store under {@code <stage-dir>/checkpoints/epoch-NNNN/}.
 * Each checkpoint's files are published first and its {@code checkpoint.json} (digests + free-form training state
 * such as the optimizer step count) last, so a crash mid-save leaves the previous checkpoint as the latest. DJL
 * cannot serialise optimizer state; stages record what they need to rebuild it in {@code state}.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern EPOCH_DIR = Pattern.compile(".*/checkpoints/epoch-(\\d{4,})/checkpoint\\.json$");
    static final String INDEX = "checkpoint.json";
    private static final String PARAMETERS = "parameters.ndlist";
    private static final String OPTIMIZER = "optimizer.ndlist";
    /** Plain mapper for the training state: keeps the history's metric order (Manifests.JSON sorts map keys). */
    private static final ObjectMapper STATE_JSON = new ObjectMapper();

    /** A restored checkpoint: its epoch, the local folder holding its files, and the state saved with it. */
    public record Checkpoint(int epoch, Path dir, Map<String, String> state) {}

    /**
     * What a training stage needs to resume bit-for-bit: model parameters and optimizer moments (as their trainers
     * export them), the optimizer's step counts and the per-epoch metric history. {@code progress} is empty at an
     * epoch boundary; a mid-epoch checkpoint ({@code epoch} epochs done, the next one part-way) holds there what the
     * stage needs to continue that epoch (its loader position and running loss sums).
     */
    public record TrainingState(int epoch, byte[] parameters, byte[] optimizerMoments,
            Map<String, Integer> optimizerSteps, List<Map<String, Double>> history, Map<String, String> progress) {

        /** A state at an epoch boundary. */
        public TrainingState(int epoch, byte[] parameters, byte[] optimizerMoments,
                Map<String, Integer> optimizerSteps, List<Map<String, Double>> history) {
            this(epoch, parameters, optimizerMoments, optimizerSteps, history, Map.of());
        }
    }

    /** The {@code checkpoint.json} document. */
    public record Index(int epoch, Map<String, ArtifactRef> files, Map<String, String> state, Instant savedAt) {}

    private final ArtifactStore store;
    private final URI root;

    public Checkpoints(ArtifactStore store, URI stageDir) {
        this.store = store;
        this.root = ArtifactUris.resolve(ArtifactUris.asPrefix(stageDir), "checkpoints/");
    }

    private URI epochDir(int epoch) {
        return ArtifactUris.resolve(root, String.format("epoch-%04d/", epoch));
    }

    /** Publishes every regular file under {@code dir} (recursively) as the checkpoint of {@code epoch}. */
    public URI save(int epoch, Path dir, Map<String, String> state) throws IOException {
        URI base = epochDir(epoch);
        Map<String, ArtifactRef> files = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : paths) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            ArtifactInfo info = store.put(f, ArtifactUris.resolve(base, rel));
            files.put(rel, new ArtifactRef(info.uri(), info.sha256(), info.size()));
        }
        URI index = ArtifactUris.resolve(base, INDEX);
        store.put(Manifests.JSON.writeValueAsBytes(new Index(epoch, files, new TreeMap<>(state), Instant.now())), index);
        LOG.info("checkpoint of epoch {} saved to {} ({} files)", epoch, base, files.size());
        return index;
    }

    /** Epochs that have a complete checkpoint, ascending. */
    public List<Integer> epochs() throws IOException {
        List<Integer> out = new ArrayList<>();
        for (ArtifactInfo a : store.list(root)) {
            Matcher m = EPOCH_DIR.matcher(a.uri().toString());
            if (m.matches()) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        out.sort(Integer::compare);
        return out;
    }

    /**
     * Downloads the newest complete checkpoint into {@code localDir} (verifying every file's digest); a checkpoint
     * whose files fail verification is skipped with a warning and the one before it is tried.
     */
    public Optional<Checkpoint> restoreLatest(Path localDir) throws IOException {
        List<Integer> epochs = epochs();
        for (int i = epochs.size() - 1; i >= 0; i--) {
            int epoch = epochs.get(i);
            URI indexUri = ArtifactUris.resolve(epochDir(epoch), INDEX);
            try {
                Index index = Manifests.JSON.readValue(store.readAllBytes(indexUri, null), Index.class);
                Path dir = localDir.resolve(String.format("epoch-%04d", epoch));
                for (Map.Entry<String, ArtifactRef> f : index.files().entrySet()) {
                    store.download(f.getValue().uri(), dir.resolve(f.getKey()), f.getValue().sha256());
                }
                LOG.info("resuming from the checkpoint of epoch {} ({})", epoch, indexUri);
                return Optional.of(new Checkpoint(epoch, dir, index.state()));
            } catch (IOException e) {
                LOG.warn("checkpoint {} is unusable ({}); trying the previous one", indexUri, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Saves a {@link TrainingState} as the checkpoint of {@code state.epoch()} (files staged under {@code scratch}),
     * tagged with {@code key}, and keeps the newest two. A mid-epoch save replaces the checkpoint of the epochs done
     * so far; a crash while it is being replaced leaves that checkpoint failing verification, and the run resumes from
     * the one before it.
     *
     * @param key identifies the run's parameters and inputs: only a run with the same key resumes from it
     */
    public void saveTraining(TrainingState state, String key, Path scratch) throws IOException {
        Path dir = scratch.resolve("checkpoint-" + state.epoch());
        Files.createDirectories(dir);
        Files.write(dir.resolve(PARAMETERS), state.parameters());
        Files.write(dir.resolve(OPTIMIZER), state.optimizerMoments());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("key", key);
        meta.put("optimizerSteps", STATE_JSON.writeValueAsString(state.optimizerSteps()));
        meta.put("history", STATE_JSON.writeValueAsString(state.history()));
        if (!state.progress().isEmpty()) {
            meta.put("progress", STATE_JSON.writeValueAsString(state.progress()));
        }
        save(state.epoch(), dir, meta);
        prune(2);
    }

    /**
     * The newest training state saved with {@code key} by {@link #saveTraining}; empty when there is none, or when the
     * newest was written by a run with other parameters or inputs (another key) or lies beyond {@code maxEpoch}.
     */
    public Optional<TrainingState> restoreTraining(String key, int maxEpoch, Path localDir) throws IOException {
        Optional<Checkpoint> latest = restoreLatest(localDir);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        Checkpoint cp = latest.get();
        if (!key.equals(cp.state().get("key")) || cp.epoch() > maxEpoch) {
            LOG.info("ignoring the checkpoint of epoch {}: it was written by a run with other parameters or inputs",
                    cp.epoch());
            return Optional.empty();
        }
        return Optional.of(new TrainingState(cp.epoch(), Files.readAllBytes(cp.dir().resolve(PARAMETERS)),
                Files.readAllBytes(cp.dir().resolve(OPTIMIZER)),
                STATE_JSON.readValue(cp.state().get("optimizerSteps"), new TypeReference<Map<String, Integer>>() {}),
                STATE_JSON.readValue(cp.state().get("history"),
                        new TypeReference<List<Map<String, Double>>>() {}),
                cp.state().get("progress") == null ? Map.of() : STATE_JSON.readValue(cp.state().get("progress"),
                        new TypeReference<Map<String, String>>() {})));
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public void prune(int keep) throws IOException {
        List<Integer> epochs = epochs();
        for (int i = 0; i < epochs.size() - keep; i++) {
            URI dir = epochDir(epochs.get(i));
            // the index goes first so that a half-pruned checkpoint is never taken for a complete one
            store.delete(ArtifactUris.resolve(dir, INDEX));
            for (ArtifactInfo a : store.list(dir)) {
                store.delete(a.uri());
            }
        }
    }
}
