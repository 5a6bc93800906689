package dev.vlltr.runtime.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the committed conversion tools with the pinned torch 2.7.1 venv ({@code ~/.cache/vlltr/venv-torch271}, made
 * by .ci; {@code VLLTR_TORCH_PYTHON} overrides): make_reader_fixtures.py must rewrite the committed fixtures byte for
 * byte, and convert_clip.py's command line must turn a torch.save()d CLIP state dict and a CLIP bpe file into the
 * same bundle. Skipped without the venv, failed under {@code -Dvlltr.requireServers=true}.
 */
class ConvertClipScriptTest {

    private static Path python;
    private static Path tools;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findPython() {
        String env = System.getenv("VLLTR_TORCH_PYTHON");
        python = env != null && !env.isBlank() ? Paths.get(env)
                : Paths.get(System.getProperty("user.home"), ".cache/vlltr/venv-torch271/bin/python");
        tools = Paths.get("").toAbsolutePath().resolve("../../tools/clip").normalize();
        boolean present = Files.isExecutable(python);
        if (!present && Boolean.getBoolean("vlltr.requireServers")) {
            throw new IllegalStateException("no torch venv at " + python + " (run .ci/run, or set VLLTR_TORCH_PYTHON)");
        }
        assumeTrue(present, "skipped: no torch 2.7.1 venv at " + python + " (made by .ci/run; or set"
                + " VLLTR_TORCH_PYTHON)");
    }

    @Test
    void generatorRewritesTheCommittedFixturesByteForByte() throws Exception {
        Result r = run(List.of(python.toString(), tools.resolve("make_reader_fixtures.py").toString(), tmp.toString()));
        assertEquals(0, r.code, r.output);
        for (String f : List.of("expected.json", "dtypes.safetensors", "dtypes-f16.safetensors", "tiny-rn50/clip.safetensors",
                "tiny-rn50/bundle.json", "tiny-rn50/tokenizer.json", "tiny-vit-b16/clip.safetensors",
                "tiny-vit-b16/bundle.json", "tiny-vit-b16/tokenizer.json")) {
            assertArrayEquals(Files.readAllBytes(ClipFixtures.dir().resolve(f)), Files.readAllBytes(tmp.resolve(f)),
                    f + " differs from a fresh run of make_reader_fixtures.py");
        }
    }

    @Test
    void commandLineConvertsAStateDictAndABpeFile() throws Exception {
        // what a user has after downloading: a state dict with CLIP's names (plus the counters CLIP keeps) and
        // CLIP's bpe merges file; here the tiny ones the generator makes
        String prepare = String.join("\n",
                "import sys, torch",
                "sys.path.insert(0, sys.argv[1])",
                "import make_reader_fixtures as t",
                "merges = t.learn_merges(t.CORPUS, t.MERGES)",
                "arch = dict(t.ARCHES['tiny-rn50'], vocabSize=512 + len(merges) + 2)",
                "torch.save(t.random_state_dict(arch, seed=0), sys.argv[2] + '/sd.pt')",
                "open(sys.argv[2] + '/bpe.txt', 'w').write('#version: 0.2\\n' + '\\n'.join(a + ' ' + b for a, b in merges)"
                        + " + '\\n')");
        Result p = run(List.of(python.toString(), "-c", prepare, tools.toString(), tmp.toString()));
        assertEquals(0, p.code, p.output);
        Path out = tmp.resolve("bundle");
        Result r = run(List.of(python.toString(), tools.resolve("convert_clip.py").toString(), "--state-dict",
                tmp.resolve("sd.pt").toString(), "--bpe", tmp.resolve("bpe.txt").toString(), "--vision-heads", "2",
                "--text-heads", "2", "--out", out.toString()));
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("wrote " + out + ": resnet50 64px, embed 16, vocab 574"), r.output);
        Path fixture = ClipFixtures.bundle("tiny-rn50");
        assertArrayEquals(Files.readAllBytes(fixture.resolve("clip.safetensors")),
                Files.readAllBytes(out.resolve("clip.safetensors")));
        assertArrayEquals(Files.readAllBytes(fixture.resolve("tokenizer.json")),
                Files.readAllBytes(out.resolve("tokenizer.json")));
        ObjectMapper json = new ObjectMapper();
        ObjectNode want = (ObjectNode) json.readTree(fixture.resolve("bundle.json").toFile());
        ObjectNode got = (ObjectNode) json.readTree(out.resolve("bundle.json").toFile());
        assertEquals("state dict sd.pt", got.get("source").asText());
        want.remove("source");
        got.remove("source");
        assertEquals(want, got);
    }

    /** --tokenizer-json (e.g. Hugging Face's openai/clip-vit-base-patch16 file) is taken as it is. */
    @Test
    void commandLineTakesAGivenTokenizerJson() throws Exception {
        String prepare = String.join("\n",
                "import sys, torch",
                "sys.path.insert(0, sys.argv[1])",
                "import make_reader_fixtures as t",
                "merges = t.learn_merges(t.CORPUS, t.MERGES)",
                "arch = dict(t.ARCHES['tiny-vit-b16'], vocabSize=512 + len(merges) + 2)",
                "torch.save(t.random_state_dict(arch, seed=1), sys.argv[2] + '/sd.pt')");
        Result p = run(List.of(python.toString(), "-c", prepare, tools.toString(), tmp.toString()));
        assertEquals(0, p.code, p.output);
        Path fixture = ClipFixtures.bundle("tiny-vit-b16");
        Path out = tmp.resolve("bundle");
        Result r = run(List.of(python.toString(), tools.resolve("convert_clip.py").toString(), "--state-dict",
                tmp.resolve("sd.pt").toString(), "--tokenizer-json", fixture.resolve("tokenizer.json").toString(),
                "--vision-heads", "2", "--text-heads", "2", "--out", out.toString()));
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("vit-b16 32px, embed 16, vocab 574"), r.output);
        assertArrayEquals(Files.readAllBytes(fixture.resolve("clip.safetensors")),
                Files.readAllBytes(out.resolve("clip.safetensors")));
    }

    @Test
    void commandLineRefusesANonClipStateDictWithExitTwo() throws Exception {
        Result p = run(List.of(python.toString(), "-c", "import sys, torch; torch.save({'w': torch.zeros(2)},"
                + " sys.argv[1])", tmp.resolve("other.pt").toString()));
        assertEquals(0, p.code, p.output);
        Result r = run(List.of(python.toString(), tools.resolve("convert_clip.py").toString(), "--state-dict",
                tmp.resolve("other.pt").toString(), "--bpe", "unused", "--out", tmp.resolve("o").toString()));
        assertEquals(2, r.code, r.output);
        assertTrue(r.output.contains("state dict: no tensor 'text_projection' (expected OpenAI CLIP parameter names)"),
                r.output);
        assertTrue(!Files.exists(tmp.resolve("o")), "nothing written");
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
