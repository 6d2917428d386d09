import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from './api';
import { boxPercent, type Facet, type ImageHit, type Language } from './searchQuery';

interface Suggestion {
  label: { id: string; name: string };
  matched: string;
}

/**
 * A text box whose value counts once committed (Enter, or leaving it): what is typed meanwhile is its
 * own, so a re-render for something else never puts the old value back under the typist's hands.
 */
export function CommitInput(props: {
  id: string;
  value: string;
  onCommit(value: string): void;
  type?: string;
  placeholder?: string;
  list?: string;
}) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  return (
    <input
      id={props.id}
      type={props.type ?? 'text'}
      list={props.list}
      autocomplete="off"
      spellcheck={false}
      placeholder={props.placeholder}
      value={draft}
      onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
      onChange={(event) => props.onCommit((event.target as HTMLInputElement).value.trim())}
    />
  );
}

/** The search box: free text on Enter; label suggestions (Chinese or English) as you type, a click includes one. */
export function SearchBox(props: {
  apiKey: string;
  language: Language;
  text: string;
  onText(text: string): void;
  onLabel(id: string, name: string): void;
}) {
  const [draft, setDraft] = useState(props.text);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  useEffect(() => setDraft(props.text), [props.text]);
  useEffect(() => {
    const prefix = draft.trim();
    if (!prefix || !props.apiKey || prefix === props.text) return setSuggestions([]);
    const timer = setTimeout(() => {
      graphql<{ suggestLabels: Suggestion[] }>(
        props.apiKey,
        'query($p: String!, $l: LabelLanguage!) { suggestLabels(prefix: $p, language: $l, limit: 8) { label { id name } matched } }',
        { p: prefix, l: props.language },
      )
        .then((data) => setSuggestions(data.suggestLabels))
        .catch(() => setSuggestions([]));
    }, 150);
    return () => clearTimeout(timer);
  }, [draft, props.apiKey, props.language]);

  return (
    <form
      class="searchbox"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        setSuggestions([]);
        props.onText(draft);
      }}
    >
      <input
        id="search-text"
        type="search"
        value={draft}
        placeholder="Search labels: dog, 咖啡, beach…"
        autocomplete="off"
        onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
      />
      <button type="submit">Search</button>
      {suggestions.length > 0 && (
        <ul class="suggestions" role="listbox">
          {suggestions.map((s) => (
            <li key={s.label.id}>
              <button
                type="button"
                role="option"
                data-label-id={s.label.id}
                onClick={() => {
                  setSuggestions([]);
                  setDraft('');
                  props.onLabel(s.label.id, s.label.name);
                }}
              >
                {s.label.name}
                {s.matched !== s.label.name && <small> ({s.matched})</small>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

/** One facet group; click includes a label, alt-click excludes it. */
export function FacetList(props: {
  title: string;
  facets: Facet[];
  include: string[];
  exclude: string[];
  onToggle(facet: Facet, exclude: boolean): void;
}) {
  if (!props.facets.length) return null;
  return (
    <section class="facet" data-facet={props.title}>
      <h3>{props.title}</h3>
      <ul>
        {props.facets.map((facet) => {
          const state = props.include.includes(facet.labelId) ? 'included' : props.exclude.includes(facet.labelId) ? 'excluded' : '';
          return (
            <li key={facet.labelId}>
              <button
                type="button"
                class={`facet-item ${state}`}
                data-label-id={facet.labelId}
                title="Click to include, Alt-click to exclude"
                onClick={(event) => props.onToggle(facet, event.altKey)}
              >
                <span class="name">{facet.name}</span>
                <span class="count">{facet.count}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A thumbnail with its most specific labels; on hover, the boxes of the objects found in it (when the server gives boxes). */
export function ImageCard(props: { image: ImageHit }) {
  const { image } = props;
  const specific = [...image.labels].sort((a, b) => b.labelLevel - a.labelLevel || b.labelConfidence - a.labelConfidence).slice(0, 4);
  const boxes = image.labels.flatMap((label) =>
    (label.instances ?? [])
      .filter((instance) => instance.boundingBox)
      .map((instance, i) => ({
        key: `${label.labelId}-${i}`,
        name: label.labelName,
        box: boxPercent(instance.boundingBox!, image.width, image.height),
      })),
  );
  return (
    <figure class="card" data-image-id={image.id}>
      <div class="frame" style={{ aspectRatio: `${image.width} / ${image.height}` }}>
        <img src={image.thumbnailUrl} alt={specific.map((label) => label.labelName).join(', ')} loading="lazy" />
        {boxes.length > 0 && (
          <div class="boxes">
            {boxes.map(({ key, name, box }) => (
              <div
                key={key}
                class="box"
                style={{ left: `${box.left}%`, top: `${box.top}%`, width: `${box.width}%`, height: `${box.height}%` }}
              >
                <span>{name}</span>
              </div>
            ))}
          </div>
        )}
      </div>
      <figcaption>
        {specific.map((label) => (
          <span key={label.labelId} class="label" title={`${label.labelId} · ${Math.round(label.labelConfidence * 100)}%`}>
            {label.labelName} <small>{Math.round(label.labelConfidence * 100)}%</small>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Calls `onVisible` whenever the end of the grid scrolls into view. */
export function PageEnd(props: { onVisible(): void; active: boolean; shown: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const callback = useRef(props.onVisible);
  callback.current = props.onVisible;
  useEffect(() => {
    if (!props.active || !ref.current) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && callback.current(), {
      rootMargin: '100px',
    });
    observer.observe(ref.current);
    return () => observer.disconnect();
    // Observed again after each page: the end may still be in view, which fires no new change.
  }, [props.active, props.shown]);
  return <div ref={ref} class="page-end" />;
}
