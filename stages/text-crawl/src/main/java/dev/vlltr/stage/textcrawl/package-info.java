/**
 * The {@code text-crawl} stage: builds the class-text corpus (JSON Lines) from the 80 CLIP prompt templates, WordNet,
 * GCIDE and, optionally, a MediaWiki API (Wikipedia), with VL-LTR's cleaning and named filters. Offline by default.
 */
package dev.vlltr.stage.textcrawl;
