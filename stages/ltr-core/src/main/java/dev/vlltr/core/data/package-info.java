/**
 * Datasets, long-tailed subsets, samplers, augmentation and a prefetching batch loader.
 *
 * <p>Plain Java, no file or network access: readers take an {@link dev.vlltr.core.data.DataSource} (or an
 * {@link java.io.InputStream}) that the stage layer implements over files or object storage. Everything random takes
 * an explicit seed or {@link java.util.Random}; nothing uses a global RNG.
 *
 * <ul>
 *   <li>Datasets: {@link dev.vlltr.core.data.IdxReader}, {@link dev.vlltr.core.data.FashionMnist},
 *       {@link dev.vlltr.core.data.ImageListDataset} (ImageNet-LT / Places-LT style lists).
 *   <li>Long tail: {@link dev.vlltr.core.data.LongTailProfile} (the LDAM/CIFAR-LT rule),
 *       {@link dev.vlltr.core.data.LongTailSubsetGenerator}, {@link dev.vlltr.core.data.LongTailIndex} (JSON),
 *       {@link dev.vlltr.core.data.LongTailBenchmark} (named configurations).
 *   <li>Samplers (Decoupling, Kang et al. 2020): {@link dev.vlltr.core.data.SamplerFactory}.
 *   <li>Augmentation: {@link dev.vlltr.core.data.ImageAugmentation} and DJL adapters
 *       ({@link dev.vlltr.core.data.SeededTransform}).
 *   <li>Loading: {@link dev.vlltr.core.data.BatchLoader}.
 * </ul>
 */
package dev.vlltr.core.data;
