/**
 * Datasets behind a spec ({@code dataset.yaml}): the spec model and its strict reader ({@link
 * dev.vlltr.core.dataset.DatasetSpecReader}, contract {@code datasets/dataset.schema.json}); the split layouts (ImageNet-LT
 * lists, image folders, iNaturalist COCO-style JSON, IDX) read into path/label tables ({@link
 * dev.vlltr.core.dataset.LabelledImages}) by {@link dev.vlltr.core.dataset.DatasetResolver}, with long-tail generation
 * through the existing {@link dev.vlltr.core.data.LongTailSplitter}; every problem reported with file, line and field
 * ({@link dev.vlltr.core.dataset.Problems}); image decoding and the spec's train/eval transforms; and the {@link
 * dev.vlltr.core.dataset.StreamingLoader} for splits far larger than memory, deterministic and resumable mid-epoch.
 * Nothing here opens a file: folders are {@link dev.vlltr.core.dataset.DatasetFiles} passed in (local folders and
 * {@code s3://} in tools/dataset).
 */
package dev.vlltr.core.dataset;
