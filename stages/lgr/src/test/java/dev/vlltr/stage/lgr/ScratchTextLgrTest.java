package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlltr.stage.cvlp.StageTestSupport;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LGR on the "no pretrained language" chain: cvlp {@code text-encoder=scratch} → AnSS → lgr. */
class ScratchTextLgrTest {

    @TempDir
    Path tmp;

    @Test
    void lgrAcceptsAScratchTextCvlpRun() throws IOException {
        JsonNode lgr = AnchorsFixture.lgrAfterCvlp(tmp, StageTestSupport.SCRATCH_TEXT, "batch-size=64",
                "eval-batch-size=1000", "input=features");
        assertEquals(16, lgr.get("featureDim").intValue());
    }
}
