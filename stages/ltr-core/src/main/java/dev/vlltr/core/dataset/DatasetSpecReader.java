package dev.vlltr.core.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code dataset.yaml} strictly, as {@code pipeline.yaml} is read: unknown fields, duplicate keys, wrong scalar
 * types and missing required fields are errors naming the file and the field path
 * ({@code dataset.yaml: field 'splits.train.format': ...}). Then {@link #validate} checks what the JSON Schema
 * ({@code datasets/dataset.schema.json}) states about values and combinations, with the same messages.
 */
public final class DatasetSpecReader {

    private static final ObjectMapper YAML = strictMapper();
    private static final Set<String> SPLIT_FORMATS = Set.of(DatasetSpec.Split.LIST, DatasetSpec.Split.FOLDER,
            DatasetSpec.Split.INATURALIST, DatasetSpec.Split.IDX);
    private static final Set<String> CLASS_ORDERS = Set.of("natural", "reversed", "shuffled");

    private DatasetSpecReader() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // `format: 1` or `images: yes` are YAML surprises, not strings
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    /**
     * @param in     the YAML; not closed
     * @param source the file name for messages (e.g. {@code datasets/imagenet-lt/dataset.yaml})
     */
    public static DatasetSpec read(InputStream in, String source) throws IOException {
        DatasetSpec spec;
        try {
            spec = YAML.readValue(in, DatasetSpec.class);
        } catch (JsonProcessingException e) {
            throw new DatasetSpecException(source + ": " + describe(e), e);
        }
        if (spec == null) {
            throw new DatasetSpecException(source + ": empty document, expected a dataset spec");
        }
        validate(spec, source);
        return spec;
    }

    /** Checks required fields, ranges and combinations; throws naming the first bad field. */
    public static void validate(DatasetSpec s, String source) {
        Check c = new Check(source);
        c.require(s.name() != null && s.name().matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "name",
                s.name() == null ? "missing" : "'" + s.name() + "'", "a name of letters, digits, '.', '_' or '-'");
        c.require(s.classes() != null, "classes", "missing", "a class file or a list of names");
        DatasetSpec.Classes cl = s.classes();
        c.require((cl.file() == null) != (cl.names() == null), "classes", "both or neither of 'file' and 'names'",
                "exactly one of them");
        c.require(List.of(DatasetSpec.Classes.LINES, DatasetSpec.Classes.LABELLED, DatasetSpec.Classes.INATURALIST)
                .contains(cl.formatOrDefault()), "classes.format", "'" + cl.format() + "'",
                "lines, labelled or inaturalist");
        if (cl.names() != null) {
            c.require(!cl.names().isEmpty(), "classes.names", "empty", "at least one class name");
            c.require(cl.names().stream().distinct().count() == cl.names().size(), "classes.names",
                    "a list with repeated names", "distinct names");
        }
        c.require(s.splits() != null, "splits", "missing", "train and test splits");
        c.require(s.splits().train() != null, "splits.train", "missing", "a split");
        c.require(s.splits().test() != null, "splits.test", "missing", "a split");
        split(c, "splits.train", s.splits().train());
        split(c, "splits.test", s.splits().test());
        if (s.splits().val() != null) {
            split(c, "splits.val", s.splits().val());
        }
        geometry(c, s.geometry());
        DatasetSpec.LongTail lt = s.longTail();
        if (lt != null) {
            c.require(lt.maxPerClass() != null && lt.maxPerClass() >= 1, "longTail.maxPerClass",
                    String.valueOf(lt.maxPerClass()), "an integer >= 1");
            c.require(lt.imbalanceFactor() != null && lt.imbalanceFactor() >= 1
                    && !lt.imbalanceFactor().isInfinite(), "longTail.imbalanceFactor",
                    String.valueOf(lt.imbalanceFactor()), "a number >= 1");
            c.require(lt.classOrder() == null || CLASS_ORDERS.contains(lt.classOrder()), "longTail.classOrder",
                    "'" + lt.classOrder() + "'", "natural, reversed or shuffled");
            c.require(lt.seed() == null || (lt.seed() >= 0 && lt.seed() <= 0xFFFFFFFFL), "longTail.seed",
                    String.valueOf(lt.seed()), "0 .. 2^32-1 (numpy's seed range)");
            c.require(lt.valPerClass() == null || lt.valPerClass() >= 0, "longTail.valPerClass",
                    String.valueOf(lt.valPerClass()), "an integer >= 0");
            c.require(s.splits().val() == null || lt.valPerClassOrDefault() == 0, "splits.val",
                    "given while longTail.valPerClass draws the val split from train",
                    "either splits.val or longTail.valPerClass > 0, not both");
        } else {
            c.require(s.splits().val() != null, "splits.val", "missing",
                    "a split (or longTail.valPerClass to draw it from train)");
        }
    }

    private static void split(Check c, String at, DatasetSpec.Split sp) {
        c.require(sp.format() != null && SPLIT_FORMATS.contains(sp.format()), at + ".format", "'" + sp.format() + "'",
                "one of " + SPLIT_FORMATS.stream().sorted().collect(Collectors.joining(", ")));
        switch (sp.format()) {
            case DatasetSpec.Split.FOLDER -> {
                c.require(sp.dir() != null && sp.file() == null && sp.labels() == null, at,
                        "'folder' without 'dir' or with 'file'/'labels'", "only 'dir' (relative to images)");
            }
            case DatasetSpec.Split.IDX -> c.require(sp.file() != null && sp.labels() != null && sp.dir() == null, at,
                    "'idx' without 'file' and 'labels'", "'file' (IDX images) and 'labels' (IDX labels)");
            default -> c.require(sp.file() != null && sp.dir() == null && sp.labels() == null, at,
                    "'" + sp.format() + "' without 'file' or with 'dir'/'labels'", "only 'file' (relative to the spec)");
        }
    }

    private static void geometry(Check c, DatasetSpec.Geometry g) {
        c.require(g != null, "geometry", "missing", "channels, mean, std, train and eval");
        c.require(g.channels() != null && (g.channels() == 1 || g.channels() == 3), "geometry.channels",
                String.valueOf(g.channels()), "1 or 3");
        c.require(g.mean() != null && g.mean().size() == g.channels(), "geometry.mean", String.valueOf(g.mean()),
                "one value per channel");
        c.require(g.std() != null && g.std().size() == g.channels() && g.std().stream().allMatch(v -> v > 0),
                "geometry.std", String.valueOf(g.std()), "one positive value per channel");
        c.require(g.eval() != null, "geometry.eval", "missing", "resize and centerCrop");
        c.require(g.eval().resize() != null && g.eval().centerCrop() != null && g.eval().centerCrop() >= 1
                && g.eval().centerCrop() <= g.eval().resize(), "geometry.eval",
                "resize " + g.eval().resize() + ", centerCrop " + g.eval().centerCrop(),
                "1 <= centerCrop <= resize");
        DatasetSpec.TrainGeometry t = g.train();
        c.require(t != null, "geometry.train", "missing", "randomResizedCrop or randomCrop");
        c.require((t.randomResizedCrop() == null) != (t.randomCrop() == null), "geometry.train",
                "both or neither of randomResizedCrop and randomCrop", "exactly one");
        if (t.randomResizedCrop() != null) {
            DatasetSpec.RandomResizedCrop r = t.randomResizedCrop();
            c.require(r.size() != null && r.size() >= 1, "geometry.train.randomResizedCrop.size",
                    String.valueOf(r.size()), "an integer >= 1");
            c.require(r.scale() == null || (r.scale().size() == 2 && r.scale().get(0) > 0
                    && r.scale().get(0) <= r.scale().get(1) && r.scale().get(1) <= 1),
                    "geometry.train.randomResizedCrop.scale", String.valueOf(r.scale()), "[min, max] in (0, 1]");
            c.require(r.ratio() == null || (r.ratio().size() == 2 && r.ratio().get(0) > 0
                    && r.ratio().get(0) <= r.ratio().get(1)), "geometry.train.randomResizedCrop.ratio",
                    String.valueOf(r.ratio()), "[min, max] with 0 < min <= max");
        } else {
            c.require(t.randomCrop().padding() != null && t.randomCrop().padding() >= 0,
                    "geometry.train.randomCrop.padding", String.valueOf(t.randomCrop().padding()), "an integer >= 0");
            c.require(g.eval().resize().equals(g.eval().centerCrop()), "geometry.eval",
                    "resize " + g.eval().resize() + " != centerCrop " + g.eval().centerCrop(),
                    "equal values with randomCrop (images are used at their own size)");
        }
        c.require(t.flip() == null || (t.flip() >= 0 && t.flip() <= 1), "geometry.train.flip",
                String.valueOf(t.flip()), "a probability 0..1");
        DatasetSpec.ColorJitter j = t.colorJitter();
        if (j != null) {
            for (var e : new Object[][] {{"brightness", j.brightness()}, {"contrast", j.contrast()},
                    {"saturation", j.saturation()}}) {
                Double v = (Double) e[1];
                c.require(v == null || v >= 0, "geometry.train.colorJitter." + e[0], String.valueOf(v), "a number >= 0");
            }
            c.require(j.hue() == null || j.hue() == 0, "geometry.train.colorJitter.hue", String.valueOf(j.hue()),
                    "0 (hue jitter is not implemented; none of the papers' recipes uses it)");
        }
    }

    private static String describe(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return "not valid YAML: " + firstLine(e.getOriginalMessage());
        }
        String path = path(m);
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ", "[", "]"));
            return "field '" + path + "': unknown field, expected one of " + known;
        }
        return "field '" + path + "': " + firstLine(e.getOriginalMessage());
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    /** Collects the first violation as an exception naming file and field. */
    private record Check(String source) {
        void require(boolean ok, String field, String actual, String expected) {
            if (!ok) {
                throw new DatasetSpecException(source + ": field '" + field + "' is " + actual + ", expected "
                        + expected);
            }
        }
    }
}
