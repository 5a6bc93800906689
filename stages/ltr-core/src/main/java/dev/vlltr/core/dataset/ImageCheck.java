package dev.vlltr.core.dataset;

import dev.vlltr.core.data.DataSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Opens and decodes every image of a split on a bounded pool of workers and reports, per image, a missing object
 * (field {@code path}) or bytes that are not a decodable JPEG/PNG (field {@code image}), naming the list file and
 * line. What {@code dataset check} runs before anything trains on the data.
 */
public final class ImageCheck {

    private ImageCheck() {
    }

    /** @return images read and decoded without a problem */
    public static int run(LabelledImages split, DataSource images, int workers, Problems problems)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, "vlltr-image-check");
            t.setDaemon(true);
            return t;
        });
        try {
            int chunk = 256;
            List<Future<Integer>> parts = new ArrayList<>();
            for (int from = 0; from < split.size(); from += chunk) {
                int lo = from;
                int hi = Math.min(split.size(), from + chunk);
                parts.add(pool.submit(() -> checkRange(split, images, lo, hi, problems)));
            }
            int ok = 0;
            for (Future<Integer> f : parts) {
                ok += f.get();
            }
            return ok;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static int checkRange(LabelledImages split, DataSource images, int lo, int hi, Problems problems) {
        int ok = 0;
        for (int i = lo; i < hi; i++) {
            String file = split.source();
            int line = split.lines()[i];
            String path = split.paths().get(i);
            byte[] bytes;
            try (InputStream in = images.open(path)) {
                bytes = in.readAllBytes();
            } catch (FileNotFoundException | NoSuchFileException e) {
                problems.add(file, line, "path", "'" + path + "' does not exist under the images root");
                continue;
            } catch (IOException e) {
                problems.add(file, line, "path", "'" + path + "' cannot be read: " + e.getMessage());
                continue;
            }
            try {
                DecodedImage.decode(bytes, path);
                ok++;
            } catch (DatasetSpecException e) {
                problems.add(file, line, "image", "'" + path + "' (" + bytes.length
                        + " bytes) is not a decodable JPEG or PNG");
            }
        }
        return ok;
    }
}
