import { useEffect, useRef, useState } from 'preact/hooks';

type Preview =
  { kind: 'off' } | { kind: 'loading' } | { kind: 'shown'; html: string } | { kind: 'error'; message: string };

const SUBMITTED = 'hearth:draft:submitted';

/**
 * Helps whoever writes in a composer's textarea, when JavaScript runs: a preview rendered by the
 * server through the same sanitizing pipeline as posts (so what you see is what will be posted),
 * and a draft kept in this browser so nothing typed is lost to a closed tab or a refused post.
 * Renders nothing until it runs in the browser: the form works the same without it.
 */
export default function Composer({ textareaId, draftKey }: { textareaId: string; draftKey: string }) {
  const [ready, setReady] = useState(false);
  const [preview, setPreview] = useState<Preview>({ kind: 'off' });
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  const key = `hearth:draft:${draftKey}`;

  useEffect(() => {
    const field = document.getElementById(textareaId) as HTMLTextAreaElement | null;
    if (!field) return;
    textarea.current = field;
    setReady(true);
    try {
      if (!field.value.trim()) {
        const refused = document.querySelector('.flash.notice--error') !== null;
        const submitted = JSON.parse(sessionStorage.getItem(SUBMITTED) ?? 'null') as {
          key: string;
          text: string;
        } | null;
        const restored = refused && submitted?.key === key ? submitted.text : localStorage.getItem(key);
        if (restored) field.value = restored;
      }
      sessionStorage.removeItem(SUBMITTED);
    } catch {
      // Storage may be off (private mode): drafts are a convenience.
    }
    let saving: ReturnType<typeof setTimeout> | undefined;
    const save = () => {
      clearTimeout(saving);
      saving = setTimeout(() => {
        try {
          if (field.value.trim()) localStorage.setItem(key, field.value);
          else localStorage.removeItem(key);
        } catch {
          /* see above */
        }
      }, 400);
    };
    const submitted = () => {
      try {
        sessionStorage.setItem(SUBMITTED, JSON.stringify({ key, text: field.value }));
        localStorage.removeItem(key);
      } catch {
        /* see above */
      }
    };
    field.addEventListener('input', save);
    field.form?.addEventListener('submit', submitted);
    return () => {
      field.removeEventListener('input', save);
      field.form?.removeEventListener('submit', submitted);
    };
  }, [textareaId, key]);

  if (!ready) return null;

  const show = async () => {
    const body = textarea.current?.value ?? '';
    if (!body.trim()) {
      setPreview({ kind: 'error', message: 'Nothing to preview yet.' });
      return;
    }
    setPreview({ kind: 'loading' });
    try {
      const res = await fetch('/api/markdown/preview', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ body }),
      });
      const json = (await res.json()) as { html?: string; error?: { message: string } };
      if (res.ok && typeof json.html === 'string') setPreview({ kind: 'shown', html: json.html });
      else setPreview({ kind: 'error', message: json.error?.message ?? 'The preview is not available right now.' });
    } catch {
      setPreview({ kind: 'error', message: 'The preview is not available right now.' });
    }
  };

  return (
    <div class="composer-tools">
      <button
        class="button button--quiet button--small"
        type="button"
        aria-expanded={preview.kind === 'shown' ? 'true' : 'false'}
        aria-controls={`${textareaId}-preview`}
        onClick={() => (preview.kind === 'shown' ? setPreview({ kind: 'off' }) : void show())}
      >
        {preview.kind === 'shown' ? 'Hide preview' : 'Preview'}
      </button>
      <div id={`${textareaId}-preview`} class="composer-preview" role="status" aria-live="polite">
        {preview.kind === 'loading' && <p class="meta">Rendering…</p>}
        {preview.kind === 'error' && <p class="meta">{preview.message}</p>}
        {preview.kind === 'shown' && (
          <>
            <p class="meta">Preview: this is how your post will look.</p>
            <div class="post__body prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
          </>
        )}
      </div>
    </div>
  );
}
