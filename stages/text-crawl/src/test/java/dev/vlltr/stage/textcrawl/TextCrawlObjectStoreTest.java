package dev.vlltr.stage.textcrawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageConfig;
import dev.vlltr.runtime.cli.StageRunner;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStores;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.MinioServerExtension;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3: {@code wordnet.dir} and {@code gcide.dir} given as s3:// URIs (real MinIO, a subset of the Debian
 * packages uploaded) give the same corpus as the Debian folders; a missing object is exit 2 naming it.
 */
class TextCrawlObjectStoreTest {

    @RegisterExtension
    static final MinioServerExtension MINIO = new MinioServerExtension();

    private static final Path WORDNET = Path.of("/usr/share/wordnet");
    private static final Path DICTD = Path.of("/usr/share/dictd");
    private static final String DATASETS = "s3://" + MinioServerExtension.BUCKET + "/datasets";

    @TempDir
    Path tmp;

    @BeforeEach
    void installed() {
        if (!Files.isReadable(WORDNET.resolve("data.noun")) || !Files.isReadable(DICTD.resolve("gcide.index"))) {
            String msg = "WordNet/GCIDE not installed: apt-get install -y wordnet-base dict-gcide";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    private static void upload(ArtifactStores store, Path dir, String prefix, String... names) throws Exception {
        for (String n : names) {
            store.put(dir.resolve(n), URI.create(prefix + "/" + n));
        }
    }

    private void run(ArtifactStores store, String runId, Map<String, String> params) throws Exception {
        TextCrawlCommand cmd = new TextCrawlCommand();
        StageRunner runner = new StageRunner(store, tmp.resolve("work"), new XcomWriter(tmp.resolve("xcom-" + runId)));
        StageConfig cfg = new StageConfig(runId, tmp.resolve("root").toString(), null, null, Map.of(), params);
        runner.run(cmd.definition(), cfg, false, cmd::execute);
    }

    private byte[] corpus(String runId) throws Exception {
        return Files.readAllBytes(PublishedOutputs.in(tmp.resolve("root").resolve(runId).resolve("text-crawl"),
                "corpus.jsonl"));
    }

    @Test
    void s3FoldersGiveTheSameCorpusAsTheDebianFolders() throws Exception {
        try (ArtifactStores store = new ArtifactStores(MINIO.server().config())) {
            upload(store, WORDNET, DATASETS + "/wordnet", "data.noun", "index.noun");
            upload(store, DICTD, DATASETS + "/gcide", "gcide.index", "gcide.dict.dz");
            String sources = "templates,wordnet,gcide";
            run(store, "local", Map.of("sources", sources));
            run(store, "s3", Map.of("sources", sources, "wordnet.dir", DATASETS + "/wordnet",
                    "gcide.dir", DATASETS + "/gcide/"));
            byte[] local = corpus("local");
            assertTrue(new String(local).contains("\"wordnet\"") && new String(local).contains("\"gcide\""));
            assertEquals(new String(local), new String(corpus("s3")));

            // a GCIDE prefix without its text: exit 2 (BadInputException) naming the parameter, URI and object
            upload(store, DICTD, DATASETS + "/gcide-partial", "gcide.index");
            Exception e = assertThrows(Exception.class, () -> run(store, "partial", Map.of("sources", sources,
                    "wordnet.dir", DATASETS + "/wordnet", "gcide.dir", DATASETS + "/gcide-partial")));
            Throwable bad = e;
            while (bad != null && !(bad instanceof BadInputException)) {
                bad = bad.getCause();
            }
            assertTrue(bad != null, "bad input: " + e);
            assertTrue(bad.getMessage().contains("gcide.dir")
                    && bad.getMessage().contains(DATASETS + "/gcide-partial/gcide.dict.dz not found"), bad.getMessage());
        }
    }

    @Test
    void missingWordNetObjectExitsTwoNamingIt() throws Exception {
        // file:// URIs take the same path through the store; the command line maps the failure to exit 2
        Path partial = Files.createDirectories(tmp.resolve("wordnet-partial"));
        Files.copy(WORDNET.resolve("index.noun"), partial.resolve("index.noun"));
        String uri = partial.toUri().toString();
        CommandRun r = CommandRun.of(new TextCrawlCommand(), "--run-id", "missing", "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--param", "sources=templates,wordnet", "--param", "wordnet.dir=" + uri);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("wordnet.dir=" + uri) && r.err().contains(uri + "data.noun not found"), r.err());

        CommandRun bad = CommandRun.of(new TextCrawlCommand(), "--run-id", "bad", "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--param", "sources=templates,gcide", "--param", "gcide.dir=ftp://example.org/gcide");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("gcide.dir") && bad.err().contains("ftp://example.org/gcide"), bad.err());
    }
}
