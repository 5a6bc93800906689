package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatasetSpecReaderTest {

    static final String MINIMAL = """
            name: tiny
            classes: {file: classes.txt}
            splits:
              train: {format: list, file: train.txt}
              val: {format: folder, dir: val}
              test: {format: inaturalist, file: test.json}
            geometry:
              channels: 3
              mean: [0.5, 0.5, 0.5]
              std: [0.25, 0.25, 0.25]
              train: {randomResizedCrop: {size: 32}, flip: 0.5, colorJitter: {brightness: 0.4}}
              eval: {resize: 36, centerCrop: 32}
            """;

    static DatasetSpec parse(String yaml) throws IOException {
        return DatasetSpecReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "dataset.yaml");
    }

    static JsonSchema schema() throws IOException {
        String json = Files.readString(FolderFiles.repositoryDatasets().resolve("dataset.schema.json"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(json);
    }

    static Set<ValidationMessage> schemaErrors(String yaml) throws IOException {
        JsonNode node = new YAMLMapper().readTree(yaml);
        return schema().validate(new ObjectMapper().valueToTree(node));
    }

    static List<Path> shippedSpecs() throws IOException {
        try (Stream<Path> s = Files.list(FolderFiles.repositoryDatasets())) {
            return s.map(d -> d.resolve("dataset.yaml")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void everyShippedSpecPassesTheReaderAndTheJsonSchema() throws IOException {
        List<Path> specs = shippedSpecs();
        assertEquals(6, specs.size(), "fmnist x3 + imagenet-lt + places-lt + inaturalist-2018: " + specs);
        for (Path p : specs) {
            String yaml = Files.readString(p);
            DatasetSpec spec = parse(yaml);
            assertEquals(p.getParent().getFileName().toString(), spec.name(), "folder name = spec name");
            assertEquals(Set.of(), schemaErrors(yaml), p.toString());
        }
    }

    @Test
    void presetsCarryThePapersGeometry() throws IOException {
        Path dir = FolderFiles.repositoryDatasets();
        for (String name : List.of("imagenet-lt", "places-lt", "inaturalist-2018")) {
            DatasetSpec spec;
            try (InputStream in = Files.newInputStream(dir.resolve(name).resolve("dataset.yaml"))) {
                spec = DatasetSpecReader.read(in, name);
            }
            assertEquals(224, spec.geometry().train().randomResizedCrop().size(), name);
            assertEquals(256, spec.geometry().eval().resize(), name);
            assertEquals(224, spec.geometry().eval().centerCrop(), name);
            assertEquals(0.48145466, spec.geometry().mean().get(0), 1e-9, name + ": CLIP mean as VL-LTR");
            assertEquals(name.equals("inaturalist-2018"), spec.geometry().train().colorJitter() == null,
                    name + ": colour jitter for ImageNet-LT/Places-LT only");
        }
    }

    @Test
    void aMinimalSpecParses() throws IOException {
        DatasetSpec spec = parse(MINIMAL);
        assertEquals("tiny", spec.name());
        assertEquals("folder", spec.splits().val().format());
        assertEquals(0.4, spec.geometry().train().colorJitter().brightness());
        assertEquals(Set.of(), schemaErrors(MINIMAL));
    }

    @Test
    void anUnknownFieldIsNamedWithItsPathByReaderAndSchema() throws IOException {
        String bad = MINIMAL.replace("flip: 0.5", "flip: 0.5, flop: 1");
        DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> parse(bad));
        assertTrue(e.getMessage().startsWith("dataset.yaml: field 'geometry.train.flop': unknown field"),
                e.getMessage());
        assertFalse(schemaErrors(bad).isEmpty());
    }

    @Test
    void badValuesAreNamedWithFileFieldAndExpectation() throws IOException {
        String[][] cases = {
            // {replace, with, message part, whether the JSON Schema can say so too}
            {"format: folder", "format: tarball", "field 'splits.val.format' is 'tarball', expected one of", "y"},
            {"channels: 3", "channels: 2", "field 'geometry.channels' is 2, expected 1 or 3", "y"},
            {"resize: 36", "resize: 16", "field 'geometry.eval' is resize 16, centerCrop 32", "n"},
            {"name: tiny", "name: 'a b'", "field 'name' is 'a b'", "y"},
            {"classes: {file: classes.txt}", "classes: {file: c.txt, names: [a]}", "field 'classes' is both", "y"},
            {"brightness: 0.4", "brightness: 0.4, hue: 0.1", "field 'geometry.train.colorJitter.hue' is 0.1", "y"},
            {"size: 32}", "size: '32'}", "field 'geometry.train.randomResizedCrop.size'", "y"},
            {"  val: {format: folder, dir: val}\n", "", "field 'splits.val' is missing", "n"},
        };
        for (String[] c : cases) {
            String bad = MINIMAL.replace(c[0], c[1]);
            DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> parse(bad), c[1]);
            assertTrue(e.getMessage().startsWith("dataset.yaml: ") && e.getMessage().contains(c[2]),
                    e.getMessage());
            if (c[3].equals("y")) {
                assertFalse(schemaErrors(bad).isEmpty(), "the schema rejects " + c[1]);
            }
        }
    }

    @Test
    void longTailValidationAndDefaults() throws IOException {
        String withLt = MINIMAL.replace("  val: {format: folder, dir: val}\n", "")
                + "longTail: {maxPerClass: 100, imbalanceFactor: 10}\n";
        DatasetSpec spec = parse(withLt);
        assertEquals(20, spec.longTail().valPerClassOrDefault());
        assertEquals("natural", spec.longTail().classOrderOrDefault());
        DatasetSpecException e = assertThrows(DatasetSpecException.class,
                () -> parse(withLt.replace("imbalanceFactor: 10", "imbalanceFactor: 10, classOrder: sideways")));
        assertTrue(e.getMessage().contains("field 'longTail.classOrder' is 'sideways', expected natural, reversed"),
                e.getMessage());
        assertThrows(DatasetSpecException.class, () -> parse(MINIMAL + "longTail: {maxPerClass: 100, imbalanceFactor: 10}\n"),
                "a listed val split and a drawn one at once");
    }
}
