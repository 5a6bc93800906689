package dev.vlltr.core.nd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScalarConstantsAndFrozenDerivedTest {

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 3));
        }
        return a;
    }

    /** The cached operand gives exactly what DJL's Number form and GraphScalars give, for awkward values too. */
    @Test
    void cachedScalarsGiveBitIdenticalResults() {
        Random rnd = new Random(1);
        double[] values = {0.9, 1 - 0.9, 0.999, 1 - 0.999, 1e-8, Math.sqrt(1 - Math.pow(0.999, 7)), 1.0 / 3, -2.5e-7};
        try (NDManager m = NDManager.newBaseManager(); ScalarConstants k = new ScalarConstants(m)) {
            NDArray x = m.create(random(rnd, 257), new Shape(257));
            for (double c : values) {
                assertArrayEquals(x.mul(c).toFloatArray(), x.mul(k.fixed(x, c)).toFloatArray(), "mul " + c);
                assertArrayEquals(x.div(c).toFloatArray(), x.div(k.fixed(x, c)).toFloatArray(), "div " + c);
                assertArrayEquals(x.add(c).toFloatArray(), x.add(k.fixed(x, c)).toFloatArray(), "add " + c);
                assertArrayEquals(GraphScalars.mul(x, c).toFloatArray(), x.mul(k.fixedLike(x, c)).toFloatArray(),
                        "GraphScalars.mul " + c);
                assertArrayEquals(x.mul(c).toFloatArray(), x.mul(k.latest("slot", x, c)).toFloatArray(),
                        "latest " + c);
            }
            assertEquals(DataType.FLOAT64, k.fixed(x, 0.5).getDataType(), "the operand DJL's x.mul(double) makes");
            assertEquals(DataType.FLOAT32, k.fixedLike(x, 0.5).getDataType());
        }
    }

    @Test
    void fixedValuesAreMadeOnceAndLatestSlotsStayBounded() {
        try (NDManager m = NDManager.newBaseManager(); ScalarConstants k = new ScalarConstants(m)) {
            NDArray x = m.create(new float[] {1, 2});
            assertSame(k.fixed(x, 0.9), k.fixed(x, 0.9));
            assertNotSame(k.fixed(x, 0.9), k.fixedLike(x, 0.9), "float64 and float32 operands are distinct");
            NDArray first = k.latest("lr", x, 0.1);
            assertSame(first, k.latest("lr", x, 0.1));
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                k.latest("lr", x, 0.1 / (i + 2)); // a value that changes every step
            }
            assertTrue(first.isReleased(), "a replaced value is freed");
            assertEquals(before, m.getManagedArrays().size(), "one array per slot, however many values it has seen");
            NDArray other = k.latest("other", x, 0.1);
            assertNotSame(first, other);
            k.close();
            assertTrue(other.isReleased());
            assertTrue(k.fixed(x, 0.9).getDataType() == DataType.FLOAT64, "usable again after close (made anew)");
        }
    }

    /** The constant is PyTorch's memory: an autograd graph may use it after the cache (or its handle) is closed. */
    @Test
    void aGraphKeepsItsConstantAfterTheCacheIsClosed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, -2, 3});
            x.setRequiresGradient(true);
            ScalarConstants k = new ScalarConstants(m);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = x.mul(x).mul(k.fixedLike(x, 0.25)).sum();
                k.close();
                System.gc();
                gc.backward(y);
            }
            assertArrayEquals(new float[] {0.5f, -1f, 1.5f}, x.getGradient().toFloatArray());
        }
    }

    @Test
    void aDerivedArrayIsComputedOncePerSourceArray() {
        AtomicInteger calls = new AtomicInteger();
        FrozenDerived exp = new FrozenDerived(a -> {
            calls.incrementAndGet();
            return a.exp();
        });
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray theta = m.create(new float[] {0.5f, 2f});
            NDArray e = exp.of(theta);
            assertArrayEquals(theta.exp().toFloatArray(), e.toFloatArray());
            try (NDManager step = m.newSubManager()) {
                assertSame(e, exp.of(theta));
                step.create(1f);
            }
            assertFalse(e.isReleased(), "the derived array lives with its source, not with a step's scope");
            assertEquals(1, calls.get());
            NDArray loaded = m.create(new float[] {1f, 1f}); // e.g. the parameter after loading a checkpoint
            assertArrayEquals(loaded.exp().toFloatArray(), exp.of(loaded).toFloatArray());
            assertEquals(2, calls.get());
        }
    }
}
