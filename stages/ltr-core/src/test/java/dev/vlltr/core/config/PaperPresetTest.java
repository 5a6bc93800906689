package dev.vlltr.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Spot checks of the preset table against the official files (ChangyaoTian/VL-LTR e5391f5), one value per kind of
 * source: a config's own value, a per-GPU batch times 8, a main.py default, an engine.py rule.
 */
class PaperPresetTest {

    @Test
    void imageNetLtResNet50FollowsItsConfigs() {
        PaperPreset p = PaperPreset.named("imagenet-lt-rn50").orElseThrow();
        assertEquals(1000, p.classes());
        // configs/imagelt/pretrain/pretrain_r50.py: lr=5e-5, epochs=50, batch_size=256 (8 GPU), distillation_beta=0.5
        assertEquals("5.0E-5", p.cvlp().get("lr"));
        assertEquals("50", p.cvlp().get("epochs"));
        assertEquals("2048", p.cvlp().get("batch-size"));
        assertEquals("0.5", p.cvlp().get("lambda"));
        // main.py defaults the configs do not override
        assertEquals("5", p.cvlp().get("warmup-epochs"));
        assertEquals("0.05", p.cvlp().get("weight-decay"));
        assertEquals("224", p.cvlp().get("image-size"));
        // configs/imagelt/finetune/finetune_r50.py: lr=1e-3, warmup_epochs=0, text_lr=1e-6, loss_type="CE"
        assertEquals("1.0E-3", p.lgr().get("lr"));
        assertEquals("0", p.lgr().get("warmup-epochs"));
        assertEquals("1.0E-6", p.lgr().get("attention-lr"));
        assertEquals("0.0", p.lgr().get("ce-smoothing"));
        assertEquals("1024", p.lgr().get("batch-size"));
        assertEquals("0.2", p.lgr().get("alpha"));
    }

    @Test
    void vitAndOtherBenchmarksDifferWhereTheirConfigsDo() {
        assertEquals("3.5E-5", PaperPreset.named("imagenet-lt-vit16").orElseThrow().cvlp().get("lr"));
        assertEquals("vit-b16", PaperPreset.named("imagenet-lt-vit16").orElseThrow().cvlp().get("backbone"));
        PaperPreset places = PaperPreset.named("places-lt-rn50").orElseThrow();
        assertEquals(365, places.classes());
        assertEquals("1.0E-4", places.lgr().get("lr"));
        PaperPreset inat = PaperPreset.named("inat-rn50").orElseThrow();
        assertEquals(8142, inat.classes());
        assertEquals("100", inat.cvlp().get("epochs"));
        assertEquals("1.0E-5", inat.cvlp().get("min-lr"), "inat_pretrain_r50.py sets no min_lr: main.py's 1e-5");
        assertEquals("360", inat.lgr().get("epochs"));
        assertEquals("0.7", inat.lgr().get("alpha"), "engine.py: alpha = 0.7 if 'INAT' in data_set");
    }

    @Test
    void choicesAndMismatchedDatasets() {
        assertArrayEquals(new String[] {"none", "imagenet-lt-rn50", "imagenet-lt-vit16", "places-lt-rn50",
            "places-lt-vit16", "inat-rn50", "inat-vit16"}, PaperPreset.choices());
        assertTrue(PaperPreset.named("none").isEmpty());
        PaperPreset p = PaperPreset.named("imagenet-lt-rn50").orElseThrow();
        p.checkClasses(1000);
        String msg = assertThrows(IllegalArgumentException.class, () -> p.checkClasses(365)).getMessage();
        assertTrue(msg.startsWith("parameter 'preset': imagenet-lt-rn50") && msg.contains("1000")
                && msg.contains("365"), msg);
    }
}
