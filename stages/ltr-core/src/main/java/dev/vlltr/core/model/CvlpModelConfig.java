package dev.vlltr.core.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
 * @param textEncoder       {@code minilm} (frozen MiniLM + {@link TextProjection})
 * @param textEncoderId     the frozen sentence encoder's id ({@link MiniLmSentenceEncoder#ID})
 * @param textInputDim      sentence-embedding dimension (384)
 * @param textHiddenDim     hidden width of the text MLP (0 = one linear layer)
 * @param textTrained       whether the text projection was trained (false: the frozen-text ablation)
 * @param logitScaleInit    initial θ
 * @param logitScaleMax     forward clamp on θ (null = none)
 * @param logitScaleTheta   learnt θ
 * @param logitScale        learnt scale {@code exp(min(θ, max))}
 * @param classNames        class names in label order
 * @param normalizationMean per-channel mean of the image normalisation (after scaling to [0, 1])
 * @param normalizationStd  per-channel std
 * @param corpusSha256      SHA-256 of the corpus the sentences came from
 */
public record CvlpModelConfig(String format, int visionDepth, int imageChannels, int imageHeight, int imageWidth,
        int embedDim, String textEncoder, String textEncoderId, int textInputDim, int textHiddenDim,
        boolean textTrained, double logitScaleInit, Double logitScaleMax, double logitScaleTheta, double logitScale,
        List<String> classNames, float[] normalizationMean, float[] normalizationStd, String corpusSha256) {

    public static final String FORMAT = "vlltr.cvlp-model/1";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @return a new, uninitialised model of this architecture */
    public CvlpModel newModel() {
        if (!"minilm".equals(textEncoder)) {
            throw new IllegalArgumentException("CVLP model config: textEncoder '" + textEncoder
                    + "' is not supported (expected minilm)");
        }
        VisionEncoder vision = VisionEncoder.builder().optDepth(visionDepth).optImageChannels(imageChannels)
                .optEmbedDim(embedDim).build();
        TextProjection text = TextProjection.builder().optInputDim(textInputDim).optHiddenDim(textHiddenDim)
                .optEmbedDim(embedDim).build();
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
        model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(imageShape()), new Shape(1, textInputDim));
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
        return c;
    }
}
