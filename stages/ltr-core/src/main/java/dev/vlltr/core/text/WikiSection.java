package dev.vlltr.core.text;

/**
 * One section of a wiki text: the title ({@code "summary"} for the lead) and its text.
 *
 * @param title section title, with the {@code =} signs and spaces stripped
 * @param text the section body, lines joined by {@code \n}
 */
public record WikiSection(String title, String text) {}
