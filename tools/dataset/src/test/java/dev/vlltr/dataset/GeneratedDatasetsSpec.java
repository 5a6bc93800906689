package dev.vlltr.dataset;

import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.DatasetSpecReader;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The generated dataset's spec, parsed. */
final class GeneratedDatasetsSpec {

    private GeneratedDatasetsSpec() {
    }

    static DatasetSpec.Geometry geometry() {
        try {
            return DatasetSpecReader.read(new ByteArrayInputStream(GeneratedDatasets.SPEC.getBytes(
                    StandardCharsets.UTF_8)), "dataset.yaml").geometry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
