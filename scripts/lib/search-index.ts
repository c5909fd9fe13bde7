/**
 * Builds the Pagefind index after `astro build`: every prerendered page that marks its content
 * with `data-pagefind-body`, plus the on-demand track pages, which exist as HTML only at request
 * time and are added as records from their Markdown.
 */
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import { loadContent } from './content.ts';

const plain = (markdown: string) =>
  markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export async function buildSearchIndex(clientDir: URL, contentRoot = 'content') {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
  const site = await index.addDirectory({ path: fileURLToPath(clientDir) });
  if (site.errors.length) throw new Error(`Pagefind: ${site.errors.join('; ')}`);
  const content = loadContent(contentRoot);
  let records = 0;
  for (const track of content.tracks.filter((t) => !t.data.draft)) {
    const prefix = track.locale === 'en' ? '' : `/${track.locale}`;
    const lessons = content.lessons
      .filter((l) => l.locale === track.locale && l.slug.startsWith(`${track.slug}/`) && !l.data.draft)
      .map((l) => l.data.title);
    await index.addCustomRecord({
      url: `${prefix}/training/${track.slug}/`,
      content: `${track.data.description} ${plain(track.body)} ${lessons.join('. ')}`,
      language: track.locale,
      meta: { title: track.data.title },
    });
    records++;
  }
  const written = await index.writeFiles({ outputPath: fileURLToPath(new URL('pagefind/', clientDir)) });
  if (written.errors.length) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
  return { pages: site.page_count, records };
}
