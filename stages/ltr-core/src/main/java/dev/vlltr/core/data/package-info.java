/**
 * Datasets and data pipeline: IDX/Fashion-MNIST readers producing in-memory {@link dev.vlltr.core.data.ImageDataset}s
 * (image lists, folders and iNaturalist JSON are read by {@code dev.vlltr.core.dataset}); the long-tailed
 * subset generator (LDAM/CIFAR-LT exponential profile, numpy-identical shuffles) with its JSON index record and
 * balanced validation split; the samplers of the Decoupling paper (instance-, class-, square-root- and
 * progressively-balanced) and their {@link dev.vlltr.core.calibrate.BatchIndexSource} adapter
 * {@link dev.vlltr.core.data.Batches}; augmentation on float arrays; and a prefetching
 * {@link dev.vlltr.core.data.BatchLoader}. Files are never opened here: readers take {@link java.io.InputStream}s or a
 * {@link dev.vlltr.core.data.DataSource}.
 */
package dev.vlltr.core.data;
