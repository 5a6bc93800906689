/**
 * Datasets and data pipeline: IDX/Fashion-MNIST readers producing in-memory {@link dev.vlltr.core.data.ImageDataset}s,
 * the long-tailed subset generator (LDAM/CIFAR-LT exponential profile) with its JSON index record and balanced
 * validation split, the samplers of the Decoupling paper (instance-, class-, square-root- and progressively-balanced),
 * augmentation on float arrays, and a prefetching batch loader. Files are never opened here: readers take
 * {@link java.io.InputStream}s or a {@link dev.vlltr.core.data.DataSource}.
 */
package dev.vlltr.core.data;
