package dev.vlltr.stage.lgr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.DataWait;
import dev.vlltr.core.data.PrefetchQueue;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.data.LongTailSplitJson;
import dev.vlltr.core.data.Samplers;
import dev.vlltr.core.dataset.LoaderPosition;
import dev.vlltr.core.eval.Evaluator;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.LgrHead;
import dev.vlltr.core.model.LgrInference;
import dev.vlltr.core.model.LgrTextMemory;
import dev.vlltr.core.model.ImageTower;
import dev.vlltr.core.train.CosineWarmupSchedule;
import dev.vlltr.core.train.ImageEmbedder;
import dev.vlltr.core.train.LgrTrainer;
import dev.vlltr.core.train.LongTailData;
import dev.vlltr.core.train.MixupCutmix;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.train.EpochRunner;
import dev.vlltr.runtime.train.ModelState;
import dev.vlltr.stage.lgr.LgrOutputs.SplitOutputs;
import dev.vlltr.stagedata.StageDataset;
import dev.vlltr.stagedata.MidEpochCheckpoints;
import dev.vlltr.stagedata.TrainBatches;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of lgr: read the cvlp model, split and anchors; frozen features of every split; train the head with
 * the runtime's {@link EpochRunner} (checkpoints, resume, per-epoch metrics); write per-split outputs and metrics.
 */
final class LgrStage {

    private static final Logger LOG = LoggerFactory.getLogger(LgrStage.class);

    private final StageContext ctx;
    private final LgrSettings s;
    /** The images (set when loaded). */
    private StageDataset dataset;

    LgrStage(StageContext ctx, LgrSettings settings) {
        this.ctx = ctx;
        this.s = settings;
    }

    void run() throws Exception {
        CvlpModelConfig config = readConfig();
        s.checkPresetClasses(config.classNames().size());
        LgrTextMemory memory = readMemory(config);
        LongTailSplit split;
        try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("cvlp", "split"))) {
            split = LongTailSplitJson.read(in, "input 'cvlp' (long-tail-split.json)");
        }
        StageDataset dataset = StageDataset.load(StageDataset.locate(ctx, null, s.dataDir()), s.splits(), split,
                "input 'cvlp' (long-tail-split.json)");
        dataset.requireShape(config.imageChannels(), config.imageHeight(), config.imageWidth(),
                "input 'cvlp' (model-config.json)");
        this.dataset = dataset;
        LongTailData data = dataset.data();
        int bs = s.evalBatchSize();

        Engine.getInstance().setRandomSeed((int) s.seed());
        // the frozen towers and image embeddings live on the training device (DJL's default is a GPU when one exists)
        try (NDManager manager = NDManager.newBaseManager(s.devices().primary())) {
            CvlpModel cvlp;
            try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("cvlp", "encoders"))) {
                cvlp = config.load(manager, in, "input 'cvlp' (cvlp-encoders.params)");
            } catch (IOException e) {
                throw new BadInputException(e.getMessage());
            }
            ImageTower vision = cvlp.getVision();
            long t0 = System.nanoTime();
            float[][] trainF = embed(vision, manager, data.train(), "train");
            float[][] valF = embed(vision, manager, data.val(), "val");
            float[][] testF = embed(vision, manager, data.test(), "test");
            ctx.headline("feature_seconds", (System.nanoTime() - t0) / 1e9);

            MixupCutmix mixup = new MixupCutmix(s.mixup(), s.cutmix(), 0.5, s.smoothing());
            if (!s.imageInput() && mixup.enabled()) {
                LOG.info("input=features: Mixup/CutMix are not applied (they mix images); cross-entropy on class ids"
                        + " with label smoothing ce-smoothing={}", s.ceSmoothing());
            }
            dev.vlltr.core.data.Sampler order = Samplers.builder().setName(s.sampler())
                    .setLabels(data.train().labels(), config.classNames().size()).optSeed(s.seed()).build();
            String noStep = Batches.noFullBatch(order.epochLength(), data.train().size(), s.batchSize());
            if (noStep != null) { // nothing to train: fail clearly instead of logging a NaN loss
                throw new BadInputException("parameter 'batch-size': " + noStep);
            }
            BatchIndexSource batches = Batches.of(order, s.batchSize());
            try (LgrTrainer trainer = trainer(config, memory, vision, mixup);
                    TrainBatches loader = s.imageInput() ? TrainBatches.open(dataset, s.loader(),
                            s.checkpointEveryBatches(), batches, s.seed(), s.loaderThreads()) : null) {
                if (loader != null && loader.streaming()) { // features for val/test stay in memory (eval geometry)
                    LOG.info("loader: streaming the train images from {} ({} workers)",
                            dataset.location().imagesUri(), s.loaderThreads());
                    ctx.headline("streaming_workers", s.loaderThreads());
                }
                if (s.imageInput() && !Arrays.deepEquals(embed(vision, manager, data.val(), "val (check)"), valF)) {
                    throw new IllegalStateException("the frozen backbone changed during LGR initialisation");
                }
                int[] trainLabels = data.train().labels();
                // checkpoints hold the trainer's state as its stored parts
                List<Map<String, Double>> history = EpochRunner.forStage(ctx, s.epochs(), ModelState.Resumable.of(
                        () -> trainer.exportState(ModelState::new),
                        m -> trainer.importState(m.parameters(), m.optimizerMoments(), m.optimizerSteps())))
                        .run((epoch, progress, midEpoch) -> {
                            LgrTrainer.EpochStats st;
                            DataWait wait = null;
                            if (loader != null) {
                                // a mid-epoch checkpoint (streaming loader): the next batch and the running sums
                                MidEpochCheckpoints mid = new MidEpochCheckpoints(midEpoch, epoch,
                                        s.checkpointEveryBatches());
                                LoaderPosition from = mid.from();
                                try (PrefetchQueue e = loader.epoch(from)) {
                                    wait = new DataWait(e);
                                    st = trainer.trainEpoch(epoch, progress.track(wait, e.size() - from.batch()),
                                            mid.sums(), mid.afterBatch(e.size()));
                                }
                            } else { // input=features: checkpoint-every-batches was refused, epochs resume whole
                                if (!midEpoch.resumed().isEmpty()) {
                                    throw new IllegalStateException("lgr input=features: a mid-epoch checkpoint");
                                }
                                st = trainer.trainEpoch(epoch, featureBatches(batches.epoch(epoch), trainF,
                                        trainLabels));
                            }
                            Map<String, Double> m = epochMetrics(st, trainer.outputs(valF, bs),
                                    data.val().labels());
                            if (wait != null) { // image input: share of the epoch spent waiting for batches
                                m.put("data_wait_share", st.seconds() > 0
                                        ? Math.min(1, wait.waitSeconds() / st.seconds()) : 0.0);
                            }
                            return m;
                        });
                ctx.headline("train_seconds", history.stream().mapToDouble(h -> h.get("epoch_seconds")).sum());
                LgrOutputs out = new LgrOutputs(ctx, config.classNames());
                List<SplitOutputs> all = List.of(
                        new SplitOutputs("train", trainF, trainLabels, trainer.outputs(trainF, bs)),
                        new SplitOutputs("val", valF, data.val().labels(), trainer.outputs(valF, bs)),
                        new SplitOutputs("test", testF, data.test().labels(), trainer.outputs(testF, bs)));
                for (SplitOutputs so : all) {
                    out.writeTable(so);
                    if (!so.split().equals("train")) {
                        accuracies(so.out(), so.labels()).forEach((k, v) -> ctx.headline(so.split() + "_" + k, v));
                    }
                }
                shotMetrics(all.get(2), data.train().classCounts());
                out.writeClassifier(trainer.visualClassifier());
                out.writeLgrJson(config, memory, data.train().classCounts(), s, mixup);
                out.writeHead(trainer);
                out.writeHistory(history);
            }
        }
    }

    /** The head on the CVLP text memory, trained on images through the frozen tower or on cached features. */
    private LgrTrainer trainer(CvlpModelConfig config, LgrTextMemory memory, ImageTower vision,
            MixupCutmix mixup) {
        LgrHead head = LgrHead.builder().setTextMemory(memory.data(), memory.classes(), memory.m(), memory.dim())
                .setSentenceCounts(memory.counts()).setLogitScale(Math.log(config.logitScale()))
                .optFreezeAttention(s.freezeAttention()).build();
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(s.lr(), s.epochs(), s.warmupEpochs(),
                LgrSettings.WARMUP_LR, s.minLr());
        LgrTrainer.Builder tb = LgrTrainer.builder().setHead(head).setSchedule(schedule)
                .optAttentionLr(s.attentionLr()).optWeightDecay(s.weightDecay()).optLabelSmoothing(s.ceSmoothing())
                .optTextBranch(s.textBranch()).optSeed(s.seed()).optDevices(s.devices());
        if (s.imageInput()) {
            tb.optBackbone(vision).setInputShape(config.imageShape()).optMixup(mixup.enabled() ? mixup : null);
        } else {
            tb.setInputShape(new Shape(memory.dim()));
        }
        return tb.build();
    }

    /** One epoch's row of history.json: schedule, losses, then the validation accuracies. */
    private Map<String, Double> epochMetrics(LgrTrainer.EpochStats st, LgrTrainer.Outputs val, int[] valLabels) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lr", st.lr());
        m.put("loss", st.loss());
        m.put("ce_image", st.ceImage());
        m.put("ce_text", st.ceText());
        m.put("epoch_seconds", st.seconds());
        accuracies(val, valLabels).forEach((k, v) -> m.put("val_" + k, v));
        return m;
    }

    private Map<String, Double> accuracies(LgrTrainer.Outputs out, int[] labels) {
        LgrInference.Accuracy a = new LgrInference(s.alpha()).accuracy(out.logitsImage(), out.logitsText(), labels,
                s.textBranch());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("top1", a.top1());
        m.put("top1_sum", a.top1Sum());
        m.put("top1_image", a.top1Image());
        m.put("top1_text", a.top1Text());
        return m;
    }

    /** Test metrics per shot split (all conventions) for the prediction (primary) and the raw sum. */
    private void shotMetrics(SplitOutputs test, int[] trainCounts) {
        float[][] pI = test.out().logitsImage();
        float[][] pT = test.out().logitsText();
        float[][] predicted = new LgrInference(s.alpha()).probabilities(pI, pT, s.textBranch());
        Evaluator.builder().setTrainClassCounts(trainCounts).optScoresAreProbabilities(true).build()
                .evaluate(predicted, test.labels()).toMetrics().forEach((k, v) -> ctx.headline("test_mix/" + k, v));
        Evaluator.builder().setTrainClassCounts(trainCounts).build()
                .evaluate(LgrInference.rawSum(pI, pT), test.labels()).toMetrics()
                .forEach((k, v) -> ctx.headline("test_sum/" + k, v));
    }

    /** α-mix of one row, as {@link LgrInference} computes it (kept for the reference test). */
    static float[] mixed(float[] pI, float[] pT, double alpha) {
        return new LgrInference(alpha).mixedProbabilities(pI, pT);
    }

    /** First index of the maximum, as {@link LgrInference} (kept for the reference test). */
    static int argmax(float[] row) {
        return LgrInference.argmax(row);
    }

    private float[][] embed(ImageTower vision, NDManager manager, ImageSet set, String what) {
        long t0 = System.nanoTime();
        float[][] f = ImageEmbedder.embed(vision, manager, set, IntStream.range(0, set.size()).toArray(),
                dataset.evalAugmentation(), s.evalBatchSize());
        LOG.info("frozen features of {} ({} images) in {} s", what, set.size(),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return f;
    }

    private CvlpModelConfig readConfig() throws IOException {
        try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("cvlp", "model-config"))) {
            return CvlpModelConfig.read(in, "input 'cvlp' (model-config.json)");
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private LgrTextMemory readMemory(CvlpModelConfig config) throws IOException {
        String where = "input 'anchors' (anchor-embeddings.vlft)";
        try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("anchors", "anchor-embeddings"))) {
            FeatureTable t = FeatureTable.readFrom(in, where);
            return LgrTextMemory.fromAnchorTable(t, config.classNames(), config.embedDim());
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + ": " + e.getMessage());
        }
    }

    private static Iterator<FloatBatch> featureBatches(int[][] batches, float[][] features, int[] labels) {
        return IntStream.range(0, batches.length)
                .mapToObj(i -> LgrTrainer.featureBatch(i, features, labels, batches[i])).iterator();
    }
}
