// Which language table the widget uses. No DOM here: tests import it in node.

/**
 * The closest table for BCP 47 tags in order of preference (the `locale` option,
 * then the browser's languages): an exact match, else the same language (`pt` and
 * `pt-PT` get `pt-BR`, `es-MX` gets `es`), else English.
 * @param {Array<string | undefined | null>} preferred
 * @param {string[]} available the tables' tags, English included
 */
export function closestLanguage(preferred, available) {
  const language = (tag) => tag.split('-')[0].toLowerCase();
  for (const tag of preferred) {
    if (typeof tag !== 'string' || !tag) continue;
    const found = available.find((table) => table.toLowerCase() === tag.toLowerCase())
      ?? available.find((table) => language(table) === language(tag));
    if (found) return found;
  }
  return 'en';
}
