import { useEffect, useRef, useState } from 'preact/hooks';

/** Interface strings, passed in from the page's catalog so the island ships no dictionary. */
export interface SearchStrings {
  label: string;
  button: string;
  loading: string;
  none: string;
  count: string;
  countOne: string;
  unavailable: string;
}

interface PagefindResult {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  options(o: Record<string, unknown>): Promise<void>;
  debouncedSearch(
    q: string,
    options?: unknown,
    ms?: number,
  ): Promise<{ results: { data(): Promise<PagefindResult> }[] } | null>;
}

type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'done'; results: PagefindResult[] } | { kind: 'error' };

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * Pagefind's excerpt is HTML with <mark> around matches. Rather than trust it as markup, keep
 * only the marks: every other piece is rendered as text, so nothing in a page can inject HTML.
 */
function Excerpt({ html }: { html: string }) {
  const parts = html.split(/<\/?mark>/);
  return (
    <p>
      {parts.map((part, i) => {
        const text = part.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
        return i % 2 === 1 ? <mark key={i}>{text}</mark> : text;
      })}
    </p>
  );
}

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/**
 * The search page's island. Pagefind's index is built at build time; its script and the index
 * for the page's language load only here, only once a query is typed. The form around the input
 * is a normal GET form, so the URL always carries the query.
 */
export default function SearchBox({ strings, initial }: { strings: SearchStrings; initial: string }) {
  const [query, setQuery] = useState(initial);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const pagefind = useRef<Promise<Pagefind> | null>(null);

  // The page is static: the query arrives in the URL from the header's search form.
  useEffect(() => {
    const fromUrl = new URLSearchParams(location.search).get('q');
    if (fromUrl) setQuery(fromUrl.slice(0, 200));
  }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setState({ kind: 'idle' });
      return;
    }
    let cancelled = false;
    setState((s) => (s.kind === 'done' ? s : { kind: 'loading' }));
    // Built after the bundle, so it is loaded at run time by URL rather than bundled.
    const url = new URL('/pagefind/pagefind.js', location.origin).href;
    pagefind.current ??= import(/* @vite-ignore */ url).then(async (module: Pagefind) => {
      await module.options({ excerptLength: 24 });
      return module;
    });
    pagefind.current
      .then(async (pf) => {
        const search = await pf.debouncedSearch(q, {}, 250);
        if (!search || cancelled) return;
        const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
        if (!cancelled) setState({ kind: 'done', results });
      })
      .catch(() => {
        pagefind.current = null;
        if (!cancelled) setState({ kind: 'error' });
      });
    const params = new URLSearchParams(location.search);
    params.set('q', q);
    history.replaceState(null, '', `?${params}`);
    return () => {
      cancelled = true;
    };
  }, [query]);

  const q = query.trim();
  return (
    <div class="search-island">
      <form
        role="search"
        method="get"
        class="search-form"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <label for="search-q">{strings.label}</label>
        <div class="search-row">
          <input
            id="search-q"
            name="q"
            type="search"
            value={query}
            autocomplete="off"
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
          <button class="button" type="submit">
            {strings.button}
          </button>
        </div>
      </form>
      <p class="result-count" role="status" aria-live="polite">
        {state.kind === 'loading' && strings.loading}
        {state.kind === 'error' && strings.unavailable}
        {state.kind === 'done' &&
          (state.results.length === 0
            ? fill(strings.none, { q })
            : fill(state.results.length === 1 ? strings.countOne : strings.count, { n: state.results.length, q }))}
      </p>
      {state.kind === 'done' && state.results.length > 0 && (
        <ol class="search-results">
          {state.results.map((r) => (
            <li class="card" key={r.url}>
              <h2 class="card-title">
                <a href={r.url}>{r.meta.title ?? r.url}</a>
              </h2>
              <Excerpt html={r.excerpt} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
