package dev.vlltr.stage.textcrawl;

/**
 * The result of fetching one article.
 *
 * @param requestedTitle the title asked for
 * @param title the title after normalisation and redirects ({@code requestedTitle} when the page is missing)
 * @param pageId MediaWiki page id, {@code -1} when missing
 * @param status what was found
 * @param text plain-text extract with {@code == Section ==} headers ({@code ""} unless {@link Status#FOUND})
 */
public record WikiArticle(String requestedTitle, String title, long pageId, Status status, String text) {

    /** Outcome of a lookup. */
    public enum Status {
        /** An article with text. */
        FOUND,
        /** No such page (or an invalid title). */
        MISSING,
        /** A disambiguation page: its text lists other articles and is not used as class text. */
        DISAMBIGUATION,
        /** The page exists but has no extract (e.g. a non-article namespace). */
        EMPTY
    }
}
