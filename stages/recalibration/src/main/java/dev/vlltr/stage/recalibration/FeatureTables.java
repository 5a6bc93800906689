package dev.vlltr.stage.recalibration;

import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.cli.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading and writing {@link FeatureTable} files with errors that name the file. */
public final class FeatureTables {

    private FeatureTables() {}

    /** Reads a table; a malformed file is bad input (exit 2) naming {@code what}. */
    public static FeatureTable read(Path file, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            return FeatureTable.readFrom(in, what);
        } catch (IOException e) {
            throw new BadInputException(what + ": " + e.getMessage(), e);
        }
    }

    /** The named N×D array; its absence is bad input naming the file and the arrays present. */
    public static float[][] array(FeatureTable t, String name, String what) {
        float[][] a = t.arrays().get(name);
        if (a == null) {
            throw new BadInputException(what + ": no array '" + name + "' (it has " + t.arrays().keySet() + ")");
        }
        return a;
    }

    /** Writes a table with one array {@code logits} (N×C). */
    public static void writeLogits(Path file, String split, List<String> classNames, int[] labels, float[][] logits)
            throws IOException {
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put("logits", logits);
        write(file, new FeatureTable(split, classNames, labels, arrays));
    }

    public static void write(Path file, FeatureTable table) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            table.writeTo(out);
        }
    }
}
