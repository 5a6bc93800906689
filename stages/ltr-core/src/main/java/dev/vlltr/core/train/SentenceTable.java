package dev.vlltr.core.train;

import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.CorpusSentence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The corpus as CVLP's text table: one row per sentence of every class, in corpus order, with its class and its index
 * within the class. The corpus must name exactly the dataset's classes, each with at least one sentence.
 *
 * @param texts        the sentences
 * @param labels       each row's class
 * @param indexInClass each row's position among its class's sentences
 */
public record SentenceTable(List<String> texts, int[] labels, int[] indexInClass) {

    /**
     * @param corpus     the corpus entries
     * @param classNames the dataset's classes in label order
     * @throws IllegalArgumentException naming the class that does not fit
     */
    public static SentenceTable of(List<ClassCorpusEntry> corpus, List<String> classNames) {
        Map<Integer, ClassCorpusEntry> byId = new LinkedHashMap<>();
        for (ClassCorpusEntry e : corpus) {
            if (e.classId() < 0 || e.classId() >= classNames.size()) {
                throw new IllegalArgumentException("classId " + e.classId() + " ('" + e.name()
                        + "') is outside the dataset's classes [0, " + classNames.size() + ")");
            }
            if (!e.name().equalsIgnoreCase(classNames.get(e.classId()))) {
                throw new IllegalArgumentException("classId " + e.classId() + " is named '" + e.name()
                        + "', but the dataset's class " + e.classId() + " is '" + classNames.get(e.classId()) + "'");
            }
            if (e.sentences().isEmpty()) {
                throw new IllegalArgumentException("class " + e.classId() + " ('" + e.name()
                        + "') has no sentences; CVLP needs at least one per class");
            }
            byId.put(e.classId(), e);
        }
        for (int c = 0; c < classNames.size(); c++) {
            if (!byId.containsKey(c)) {
                throw new IllegalArgumentException("no entry for class " + c + " ('" + classNames.get(c)
                        + "'); every class of the dataset needs sentences");
            }
        }
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (ClassCorpusEntry e : corpus) {
            int i = 0;
            for (CorpusSentence sentence : e.sentences()) {
                texts.add(sentence.text());
                labels.add(e.classId());
                index.add(i++);
            }
        }
        return new SentenceTable(texts, labels.stream().mapToInt(Integer::intValue).toArray(),
                index.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return each row's index in its class as a one-column table (the {@code sentence_index} array) */
    public float[][] indexColumn() {
        float[][] index = new float[indexInClass.length][];
        for (int i = 0; i < index.length; i++) {
            index[i] = new float[] {indexInClass[i]};
        }
        return index;
    }
}
