package dev.vlltr.orchestration.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The user-facing Markdown: README.md and everything under docs/, and the pieces the docs tests check in it. */
final class UserGuide {

    /** The marker of a shell block that {@code ShellBlocksIT} executes: a fence opened with {@code ```bash tested}. */
    static final Pattern TESTED_FENCE = Pattern.compile("^```(?:bash|sh) tested\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*```.*$");
    /** {@code [text](target)} and {@code ![alt](target)}; the target ends at the first space or ')'. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    /** A block of shell to execute: its file, the line of its opening fence, its text. */
    record Block(Path file, int line, String script) {
        @Override
        public String toString() {
            return file.getFileName() + ":" + line;
        }
    }

    /** A relative link: the file and line it is on, its target as written. */
    record Link(Path file, int line, String target) {}

    private UserGuide() {}

    /** README.md and every Markdown file under docs/, sorted. */
    static List<Path> pages(Path repo) {
        List<Path> out = new ArrayList<>();
        out.add(repo.resolve("README.md"));
        try (Stream<Path> s = Files.walk(repo.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Block> testedBlocks(Path file) {
        List<Block> out = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (TESTED_FENCE.matcher(lines.get(i)).matches()) {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
                    sb.append(lines.get(j)).append('\n');
                }
                out.add(new Block(file, i + 1, sb.toString()));
                i = j;
            }
        }
        return out;
    }

    /** Links that are not absolute URLs, outside fenced code blocks. */
    static List<Link> relativeLinks(Path file) {
        List<Link> out = new ArrayList<>();
        boolean inFence = false;
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    out.add(new Link(file, i + 1, target));
                }
            }
        }
        return out;
    }

    /**
     * GitHub's anchor for a heading: lower case, punctuation other than '-' and '_' removed, spaces to '-'.
     */
    static String anchor(String heading) {
        String h = heading.strip().toLowerCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        h.codePoints().forEach(c -> {
            if (c == ' ') {
                sb.append('-');
            } else if (c == '-' || c == '_' || Character.isLetterOrDigit(c)) {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }

    /** The anchors of a Markdown file's headings (duplicates get GitHub's -1, -2 suffixes). */
    static List<String> anchors(Path file) {
        List<String> out = new ArrayList<>();
        boolean inFence = false;
        for (String line : lines(file)) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                continue;
            }
            if (!inFence && line.matches("^#{1,6} .*")) {
                String a = anchor(line.replaceFirst("^#{1,6} ", ""));
                String unique = a;
                for (int n = 1; out.contains(unique); n++) {
                    unique = a + "-" + n;
                }
                out.add(unique);
            }
        }
        return out;
    }
}
