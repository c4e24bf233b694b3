/** Tags as people type them: separated by commas or spaces, blanks dropped (the API says what else is wrong). */
export function parseTags(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

/** Tags as the input shows them. */
export function formatTags(tags: string[]): string {
  return tags.join(', ');
}
