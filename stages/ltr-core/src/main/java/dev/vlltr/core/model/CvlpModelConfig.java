package dev.vlltr.core.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Everything needed to rebuild a trained {@link CvlpModel} from its parameter file: the architecture, the image
 * normalisation, the class order, the learnt logit scale and the lineage of the text side (the CVLP stage's
 * {@code model-config.json}).
 *
 * @param format            {@value #FORMAT}
 * @param visionDepth       ResNet depth (CIFAR layout)
 * @param imageChannels     image channels
 * @param imageHeight       image height
 * @param imageWidth        image width
 * @param embedDim          joint embedding dimension E
 * @param textEncoder       {@value #TEXT_MINILM} (frozen MiniLM + {@link TextProjection}) or {@value #TEXT_SCRATCH}
 *                          ({@link ScratchTextEncoder} over {@link WordVocabulary} token ids, the "no pretrained
 *                          language" ablation); null (configs written before the field existed) reads as minilm
 * @param textEncoderId     the frozen sentence encoder's id ({@link MiniLmSentenceEncoder#ID}) or
 *                          {@value #SCRATCH_ID}
 * @param textInputDim      length of one text input row: sentence-embedding dimension (384) or token count L
 * @param textHiddenDim     hidden width of the text MLP (0 = one linear layer; unused by scratch)
 * @param textTrained       whether the text tower was trained (false: the frozen-text ablation)
 * @param logitScaleInit    initial θ
 * @param logitScaleMax     forward clamp on θ (null = none)
 * @param logitScaleTheta   learnt θ
 * @param logitScale        learnt scale {@code exp(min(θ, max))}
 * @param classNames        class names in label order
 * @param normalizationMean per-channel mean of the image normalisation (after scaling to [0, 1])
 * @param normalizationStd  per-channel std
 * @param corpusSha256      SHA-256 of the corpus the sentences came from
 * @param scratchText       the scratch text tower's architecture and vocabulary (textEncoder scratch only; absent
 *                          from the JSON otherwise, so minilm configs are unchanged)
 * @param backbone          {@value #BACKBONE_RESNET20} ({@link VisionEncoder}), {@value #BACKBONE_RESNET50} or
 *                          {@value #BACKBONE_VIT_B16} ({@link ClipImageTower}); null (configs written before the field
 *                          existed) reads as resnet20
 * @param clip              the CLIP towers' architecture (backbone resnet50 / vit-b16 or textEncoder clip only; absent
 *                          otherwise)
 */
public record CvlpModelConfig(String format, int visionDepth, int imageChannels, int imageHeight, int imageWidth,
        int embedDim, String textEncoder, String textEncoderId, int textInputDim, int textHiddenDim,
        boolean textTrained, double logitScaleInit, Double logitScaleMax, double logitScaleTheta, double logitScale,
        List<String> classNames, float[] normalizationMean, float[] normalizationStd, String corpusSha256,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScratchText scratchText, String backbone,
        @JsonInclude(JsonInclude.Include.NON_NULL) ClipTowers clip) {

    public static final String FORMAT = "vlltr.cvlp-model/1";
    /** Frozen all-MiniLM-L6-v2 + trainable {@link TextProjection} (the default). */
    public static final String TEXT_MINILM = "minilm";
    /** {@link ScratchTextEncoder} trained from scratch on {@link WordVocabulary} ids. */
    public static final String TEXT_SCRATCH = "scratch";
    /** {@link #textEncoderId()} of the scratch tower. */
    public static final String SCRATCH_ID = "scratch-transformer/word-vocabulary";
    /** CLIP's text transformer over CLIP BPE token ids ({@link dev.vlltr.core.model.clip.ClipTextTransformer}). */
    public static final String TEXT_CLIP = "clip";
    /** The CIFAR ResNet of {@link VisionEncoder} (depth {@link #visionDepth()}). */
    public static final String BACKBONE_RESNET20 = "resnet20";
    /** CLIP's ModifiedResNet (RN50 layout). */
    public static final String BACKBONE_RESNET50 = "resnet50";
    /** CLIP's ViT (ViT-B/16 layout). */
    public static final String BACKBONE_VIT_B16 = "vit-b16";

    /**
     * CLIP's towers as a CLIP bundle's {@code bundle.json} describes them (the image size is the one trained at).
     *
     * @param imageSize     side the images are resized to
     * @param visionWidth   ModifiedResNet stem width or ViT width
     * @param visionLayers  four stage depths (ResNet) or one depth (ViT)
     * @param visionHeads   attention-pool or ViT heads
     * @param patchSize     ViT patch (0 for the ResNet)
     * @param contextLength text positions
     * @param vocabSize     token ids
     * @param textWidth     text transformer width
     * @param textHeads     its heads
     * @param textLayers    its depth
     * @param mean          CLIP's per-channel (RGB) mean
     * @param std           CLIP's per-channel std
     * @param source        the bundle the towers started from (its folder URI and digest)
     */
    public record ClipTowers(int imageSize, int visionWidth, List<Integer> visionLayers, int visionHeads,
            int patchSize, int contextLength, int vocabSize, int textWidth, int textHeads, int textLayers,
            float[] mean, float[] std, String source) {}

    /**
     * The scratch text tower: everything {@link ScratchTextEncoder.Builder} needs besides the embedding dimension.
     *
     * @param width      model width W
     * @param layers     Transformer layers
     * @param heads      attention heads
     * @param maxLength  token count L of an input row
     * @param vocabulary id → word ({@link WordVocabulary#tokens()}), starting with {@code <pad>}, {@code <unk>}
     */
    public record ScratchText(int width, int layers, int heads, int maxLength, List<String> vocabulary) {
        /** @return the vocabulary object */
        public WordVocabulary wordVocabulary() {
            return WordVocabulary.fromTokens(vocabulary);
        }
    }

    /** Canonical constructor; a missing text encoder (older configs) means minilm, a missing backbone resnet20. */
    @JsonCreator
    public CvlpModelConfig {
        textEncoder = textEncoder == null ? TEXT_MINILM : textEncoder;
        backbone = backbone == null ? BACKBONE_RESNET20 : backbone;
    }

    /** A config without CLIP towers (the form used before they existed). */
    public CvlpModelConfig(String format, int visionDepth, int imageChannels, int imageHeight, int imageWidth,
            int embedDim, String textEncoder, String textEncoderId, int textInputDim, int textHiddenDim,
            boolean textTrained, double logitScaleInit, Double logitScaleMax, double logitScaleTheta,
            double logitScale, List<String> classNames, float[] normalizationMean, float[] normalizationStd,
            String corpusSha256, ScratchText scratchText) {
        this(format, visionDepth, imageChannels, imageHeight, imageWidth, embedDim, textEncoder, textEncoderId,
                textInputDim, textHiddenDim, textTrained, logitScaleInit, logitScaleMax, logitScaleTheta, logitScale,
                classNames, normalizationMean, normalizationStd, corpusSha256, scratchText, BACKBONE_RESNET20, null);
    }

    /** A minilm-style config (no scratch tower), the form used before the scratch text encoder existed. */
    public CvlpModelConfig(String format, int visionDepth, int imageChannels, int imageHeight, int imageWidth,
            int embedDim, String textEncoder, String textEncoderId, int textInputDim, int textHiddenDim,
            boolean textTrained, double logitScaleInit, Double logitScaleMax, double logitScaleTheta,
            double logitScale, List<String> classNames, float[] normalizationMean, float[] normalizationStd,
            String corpusSha256) {
        this(format, visionDepth, imageChannels, imageHeight, imageWidth, embedDim, textEncoder, textEncoderId,
                textInputDim, textHiddenDim, textTrained, logitScaleInit, logitScaleMax, logitScaleTheta, logitScale,
                classNames, normalizationMean, normalizationStd, corpusSha256, (ScratchText) null);
    }

    /** @return whether the text tower is the scratch Transformer over token ids */
    public boolean scratch() {
        return TEXT_SCRATCH.equals(textEncoder);
    }

    /** @return whether the text tower is CLIP's text transformer over CLIP BPE ids */
    public boolean clipText() {
        return TEXT_CLIP.equals(textEncoder);
    }

    /** @return whether the text input is token ids (scratch or CLIP) rather than frozen sentence embeddings */
    public boolean tokenIds() {
        return scratch() || clipText();
    }

    /** @return one text input's shape: {@code (S)} sentence-embedding dims or {@code (L)} token ids */
    public Shape textInputShape() {
        return new Shape(scratch() ? scratchText.maxLength() : clipText() ? clip.contextLength() : textInputDim);
    }

    /**
     * The text tower's input rows for sentences: MiniLM vectors (minilm; each distinct sentence encoded once) or
     * token ids of the recorded vocabulary as floats (scratch; exact below 2^24 ids).
     *
     * @param sentences the texts
     * @return one row per sentence, {@link #textInputShape()} long
     */
    public float[][] textInputs(List<String> sentences) {
        if (clipText()) {
            throw new IllegalArgumentException("text encoder clip: token ids come from the CLIP bundle's tokenizer"
                    + " (tokenizer.json), which the model config does not hold");
        }
        if (!scratch()) {
            return new CachingSentenceEncoder(new MiniLmSentenceEncoder()).encode(sentences);
        }
        int[][] ids = scratchText.wordVocabulary().encode(sentences, scratchText.maxLength());
        float[][] rows = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = new float[ids[i].length];
            for (int j = 0; j < ids[i].length; j++) {
                rows[i][j] = ids[i][j];
            }
        }
        return rows;
    }
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @return a new, uninitialised model of this architecture */
    public CvlpModel newModel() {
        if ((clipText() || !BACKBONE_RESNET20.equals(backbone)) && clip == null) {
            throw new IllegalArgumentException("CVLP model config: backbone " + backbone + " / textEncoder "
                    + textEncoder + " need the field 'clip' (the CLIP towers' architecture)");
        }
        ImageTower vision = switch (backbone) {
            case BACKBONE_RESNET20 -> VisionEncoder.builder().optDepth(visionDepth).optImageChannels(imageChannels)
                    .optEmbedDim(embedDim).build();
            case BACKBONE_RESNET50 -> new ClipImageTower(dev.vlltr.core.model.clip.ClipVisualEncoders.modifiedResNet(
                    clip.visionLayers().stream().mapToInt(Integer::intValue).toArray(), clip.visionWidth(),
                    clip.visionHeads(), embedDim, clip.imageSize()), normalizationMean, normalizationStd, clip.mean(),
                    clip.std());
            case BACKBONE_VIT_B16 -> new ClipImageTower(dev.vlltr.core.model.clip.ClipVisualEncoders.vit(
                    clip.imageSize(), clip.patchSize(), clip.visionWidth(), clip.visionLayers().get(0),
                    clip.visionHeads(), embedDim), normalizationMean, normalizationStd, clip.mean(), clip.std());
            default -> throw new IllegalArgumentException("CVLP model config: backbone '" + backbone + "' is not"
                    + " supported (expected " + BACKBONE_RESNET20 + ", " + BACKBONE_RESNET50 + " or "
                    + BACKBONE_VIT_B16 + ")");
        };
        TextTower text;
        if (clipText()) {
            text = new dev.vlltr.core.model.clip.ClipTextTransformer(clip.contextLength(), clip.vocabSize(),
                    clip.textWidth(), clip.textLayers(), clip.textHeads(), embedDim);
        } else if (TEXT_MINILM.equals(textEncoder)) {
            text = TextProjection.builder().optInputDim(textInputDim).optHiddenDim(textHiddenDim)
                    .optEmbedDim(embedDim).build();
        } else if (scratch() && scratchText != null) {
            text = ScratchTextEncoder.builder().setVocabularySize(scratchText.vocabulary().size())
                    .optWidth(scratchText.width()).optLayers(scratchText.layers()).optHeads(scratchText.heads())
                    .optMaxLength(scratchText.maxLength()).optEmbedDim(embedDim).build();
        } else {
            throw new IllegalArgumentException("CVLP model config: textEncoder '" + textEncoder + "' is not supported"
                    + " (expected " + TEXT_MINILM + ", or " + TEXT_SCRATCH + " with scratchText)");
        }
        LogitScale scale = LogitScale.builder().optInitialValue(logitScaleInit)
                .optMaxValue(logitScaleMax == null ? Double.POSITIVE_INFINITY : logitScaleMax).build();
        return new CvlpModel(vision, text, scale);
    }

    /** @return one image's shape {@code (C, H, W)} */
    public Shape imageShape() {
        return new Shape(imageChannels, imageHeight, imageWidth);
    }

    /**
     * Builds the model and loads parameters written by {@code saveParameters}; checks every shape.
     *
     * @param manager owner of the arrays
     * @param parameters the parameter stream
     * @param source names the stream in errors
     * @return the initialised model (inference use)
     */
    public CvlpModel load(NDManager manager, InputStream parameters, String source) throws IOException {
        CvlpModel model = newModel();
        model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(imageShape()),
                new Shape(1).addAll(textInputShape()));
        List<Shape> expected = model.getParameters().values().stream().map(p -> p.getArray().getShape()).toList();
        try {
            model.loadParameters(manager, new DataInputStream(parameters));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(source + ": not the parameters of this CVLP architecture (" + e.getMessage() + ")",
                    e);
        }
        var loaded = model.getParameters();
        for (int i = 0; i < loaded.size(); i++) {
            Shape got = loaded.get(i).getValue().getArray().getShape();
            if (!got.equals(expected.get(i))) {
                throw new IOException(source + ": parameter " + loaded.get(i).getKey() + " has shape " + got
                        + ", the model config expects " + expected.get(i));
            }
        }
        return model;
    }

    /** Writes the config as JSON. */
    public void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    /** Reads a config; {@code source} names the file in errors. */
    public static CvlpModelConfig read(InputStream in, String source) throws IOException {
        CvlpModelConfig c;
        try {
            c = JSON.readValue(in, CvlpModelConfig.class);
        } catch (IOException e) {
            throw new IOException(source + ": not a CVLP model config (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(c.format())) {
            throw new IOException(source + ": field 'format' is '" + c.format() + "', expected '" + FORMAT + "'");
        }
        if (c.classNames() == null || c.classNames().isEmpty()) {
            throw new IOException(source + ": field 'classNames' is missing or empty");
        }
        if (!TEXT_MINILM.equals(c.textEncoder()) && !TEXT_SCRATCH.equals(c.textEncoder())
                && !TEXT_CLIP.equals(c.textEncoder())) {
            throw new IOException(source + ": field 'textEncoder' is '" + c.textEncoder() + "', expected "
                    + TEXT_MINILM + ", " + TEXT_SCRATCH + " or " + TEXT_CLIP);
        }
        if (!List.of(BACKBONE_RESNET20, BACKBONE_RESNET50, BACKBONE_VIT_B16).contains(c.backbone())) {
            throw new IOException(source + ": field 'backbone' is '" + c.backbone() + "', expected "
                    + BACKBONE_RESNET20 + ", " + BACKBONE_RESNET50 + " or " + BACKBONE_VIT_B16);
        }
        if ((c.clipText() || !BACKBONE_RESNET20.equals(c.backbone())) && c.clip() == null) {
            throw new IOException(source + ": field 'clip' (the CLIP towers' architecture) is required with backbone "
                    + c.backbone() + " and textEncoder " + c.textEncoder());
        }
        if (c.scratch()) {
            ScratchText st = c.scratchText();
            if (st == null || st.vocabulary() == null) {
                throw new IOException(source + ": field 'scratchText' (with its vocabulary) is required when"
                        + " textEncoder is scratch");
            }
            try {
                st.wordVocabulary();
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": field 'scratchText.vocabulary': " + e.getMessage(), e);
            }
        }
        return c;
    }
}
