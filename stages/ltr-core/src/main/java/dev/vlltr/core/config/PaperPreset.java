package dev.vlltr.core.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hyper-parameters of VL-LTR's official configurations ({@code ChangyaoTian/VL-LTR}, commit e5391f5), as stage
 * parameter values: {@code preset=<name>} on cvlp and lgr fills every parameter the user did not give. Each value
 * comes from the config file named in {@link #cvlpSource()} / {@link #lgrSource()} or, where the config is silent,
 * from the default of {@code main.py}'s argument parser (the table in docs/models-and-gpus.md cites each one).
 *
 * <p>Batch sizes: the official configs give the batch per GPU and are run on 8 GPUs ({@code # 8 GPU}); the presets
 * give the global batch (per-GPU batch × 8), which {@code device=gpus} splits over the GPUs of the pod, so that the
 * contrastive loss sees the official global batch. {@code backbone}/{@code image-size} are applied where the stage
 * has those parameters.
 *
 * @param name the {@code preset} value
 * @param dataset the benchmark the configuration is for
 * @param classes its number of classes (a dataset with another number is refused)
 * @param cvlpSource the official pre-training config file
 * @param cvlp cvlp parameter values
 * @param lgrSource the official fine-tuning (LGR) config file
 * @param lgr lgr parameter values
 */
public record PaperPreset(String name, String dataset, int classes, String cvlpSource, Map<String, String> cvlp,
        String lgrSource, Map<String, String> lgr) {

    /** The value of {@code preset} that applies none. */
    public static final String NONE = "none";

    /** Official global batch = per-GPU batch × this (every config says {@code # 8 GPU}). */
    public static final int OFFICIAL_GPUS = 8;

    private static final int IMAGENET_LT = 1000;
    private static final int PLACES_LT = 365;
    private static final int INAT_2018 = 8142;

    /** Every preset, in {@code --help} order. */
    public static final List<PaperPreset> ALL = List.of(
            of("imagenet-lt-rn50", "ImageNet-LT", IMAGENET_LT, "resnet50",
                    "configs/imagelt/pretrain/pretrain_r50.py", 50, 256, "5.0E-5", "0.0",
                    "configs/imagelt/finetune/finetune_r50.py", 50, 128, "1.0E-3", "0.2"),
            of("imagenet-lt-vit16", "ImageNet-LT", IMAGENET_LT, "vit-b16",
                    "configs/imagelt/pretrain/pretrain_vit16.py", 50, 128, "3.5E-5", "0.0",
                    "configs/imagelt/finetune/finetune_vit16.py", 50, 128, "1.0E-3", "0.2"),
            of("places-lt-rn50", "Places-LT", PLACES_LT, "resnet50",
                    "configs/placeslt/pretrain/places_pretrain_r50.py", 50, 256, "5.0E-5", "0.0",
                    "configs/placeslt/finetune/places_finetune_r50.py", 50, 128, "1.0E-4", "0.2"),
            of("places-lt-vit16", "Places-LT", PLACES_LT, "vit-b16",
                    "configs/placeslt/pretrain/places_pretrain_vit16.py", 50, 128, "1.0E-5", "0.0",
                    "configs/placeslt/finetune/places_finetune_vit16.py", 50, 128, "5.0E-5", "0.2"),
            // iNat pre-training configs set no min_lr: main.py's default 1e-5 applies
            of("inat-rn50", "iNaturalist 2018", INAT_2018, "resnet50",
                    "configs/inat/pretrain/inat_pretrain_r50.py", 100, 256, "5.0E-4", "1.0E-5",
                    "configs/inat/finetune/inat_finetune_r50.py", 360, 128, "2.0E-5", "0.7"),
            of("inat-vit16", "iNaturalist 2018", INAT_2018, "vit-b16",
                    "configs/inat/pretrain/inat_pretrain_vit16.py", 100, 128, "3.5E-4", "1.0E-5",
                    "configs/inat/finetune/inat_finetune_vit16.py", 360, 128, "2.0E-5", "0.7"));

    /**
     * One preset: what differs between the configs is passed in, what every config shares (or leaves to {@code
     * main.py}'s defaults) is written once here.
     */
    private static PaperPreset of(String name, String dataset, int classes, String backbone, String cvlpSource,
            int cvlpEpochs, int cvlpBatchPerGpu, String cvlpLr, String cvlpMinLr, String lgrSource, int lgrEpochs,
            int lgrBatchPerGpu, String lgrLr, String alpha) {
        Map<String, String> cvlp = new LinkedHashMap<>();
        cvlp.put("backbone", backbone);                  // model='CVLP_r50' / 'CVLP_vit16'
        cvlp.put("image-size", "224");                   // main.py --input-size 224
        cvlp.put("epochs", Integer.toString(cvlpEpochs)); // config epochs
        cvlp.put("batch-size", Integer.toString(cvlpBatchPerGpu * OFFICIAL_GPUS)); // config batch_size x 8 GPUs
        cvlp.put("lr", cvlpLr);                          // config lr
        cvlp.put("min-lr", cvlpMinLr);                   // config min_lr (iNat: main.py default 1e-5)
        cvlp.put("warmup-epochs", "5");                  // main.py --warmup-epochs 5
        cvlp.put("warmup-lr", "1.0E-6");                 // main.py --warmup-lr 1e-6
        cvlp.put("weight-decay", "0.05");                // main.py --weight-decay 0.05
        cvlp.put("lambda", "0.5");                       // config distillation_beta=0.5
        cvlp.put("sampler", "sqrt");                     // config weight_sample=True, use_sqrt_freq=True
        Map<String, String> lgr = new LinkedHashMap<>();
        lgr.put("epochs", Integer.toString(lgrEpochs));   // config epochs
        lgr.put("batch-size", Integer.toString(lgrBatchPerGpu * OFFICIAL_GPUS)); // config batch_size x 8 GPUs
        lgr.put("lr", lgrLr);                            // config lr
        lgr.put("min-lr", "0.0");                        // config min_lr=0
        lgr.put("warmup-epochs", "0");                   // config warmup_epochs=0
        lgr.put("attention-lr", "1.0E-6");               // config text_lr=1e-6
        lgr.put("weight-decay", "0.05");                 // main.py --weight-decay 0.05
        lgr.put("mixup", "0.8");                         // main.py --mixup 0.8 (configs leave it on)
        lgr.put("cutmix", "1.0");                        // main.py --cutmix 1.0
        lgr.put("smoothing", "0.1");                     // main.py --smoothing 0.1 (Mixup targets)
        lgr.put("ce-smoothing", "0.0");                  // config loss_type="CE"
        lgr.put("sampler", "sqrt");                      // config weight_sample=True, use_sqrt_freq=True
        lgr.put("alpha", alpha);                         // engine.py: 0.7 if 'INAT' in data_set else 0.2
        lgr.put("input", "images");                      // augmented images through the frozen backbone
        return new PaperPreset(name, dataset, classes, cvlpSource, Map.copyOf(cvlp), lgrSource, Map.copyOf(lgr));
    }

    /** @return the preset names, {@link #NONE} first (the {@code preset} parameter's choices) */
    public static String[] choices() {
        String[] names = new String[ALL.size() + 1];
        names[0] = NONE;
        for (int i = 0; i < ALL.size(); i++) {
            names[i + 1] = ALL.get(i).name();
        }
        return names;
    }

    /** @return the preset of that name; empty for {@link #NONE} */
    public static Optional<PaperPreset> named(String name) {
        if (NONE.equals(name)) {
            return Optional.empty();
        }
        return Optional.of(ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("expected one of " + Arrays.toString(choices())
                        + ", got '" + name + "'")));
    }

    /**
     * @param datasetClasses classes of the dataset being trained
     * @throws IllegalArgumentException naming the preset, its benchmark and both class counts when they differ
     */
    public void checkClasses(int datasetClasses) {
        if (datasetClasses != classes) {
            throw new IllegalArgumentException("parameter 'preset': " + name + " is the official configuration for "
                    + dataset + " (" + classes + " classes), but the dataset has " + datasetClasses + " classes");
        }
    }
}
