import { Command } from 'cmdk';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../api/client.js';
import { useFlags, useSegments, useUsers } from '../api/queries.js';
import { personAnchor } from '../people/person-anchor.js';
import { navigate, type Route } from '../routing/router.js';
import { can } from '../session/roles.js';
import { matchFlags, matchPeople, matchSegments } from './search-matches.js';
import { revealWhenShown } from './reveal.js';

/** Ctrl+K (Cmd+K on a Mac) opens the palette from anywhere in the console, and closes it. */
function isPaletteShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k';
}

/**
 * The search palette: the header's Search button or Ctrl/Cmd+K opens it; it
 * lists the flags (by key, description, tags, owner), segments and, for who
 * may list people (admins), people matching what is typed; Enter or a click
 * opens the page of the one chosen.
 */
export function SearchPalette({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isPaletteShortcut(event)) return;
      event.preventDefault();
      setOpen((was) => !was);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  // A modal <dialog> (as the confirmations): the page behind is inert, Escape closes it and the
  // focus returns to where it was; no script-injected styles, which the console's CSP refuses.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      // Typing goes to the search field at once (showModal alone may focus the dialog itself).
      element.querySelector<HTMLInputElement>('[cmdk-input]')?.focus();
    }
    if (!open && element.open) element.close();
  }, [open]);
  const choose = (route: Route, reveal: string) => {
    setOpen(false);
    navigate(route);
    revealWhenShown(reveal);
  };
  return (
    <>
      <button type="button" className="search-button" aria-keyshortcuts="Control+K Meta+K" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Search <kbd aria-hidden="true">Ctrl K</kbd>
      </button>
      <dialog
        ref={dialog}
        className="palette"
        aria-label="Search"
        // Escape closes it through the state, as Ctrl+K does: the dialog is never shut while the state still says
        // open (a Ctrl+K pressed in between would then toggle it shut instead of opening it).
        onCancel={(event) => {
          event.preventDefault();
          setOpen(false);
        }}
        onClose={() => setOpen(false)}
        // A click on the backdrop (the dialog itself, outside its content) closes it.
        onClick={(event) => {
          if (event.target === event.currentTarget) setOpen(false);
        }}
      >
        {open && <SearchResults me={me} choose={choose} />}
      </dialog>
    </>
  );
}

/** The palette's input and results; mounted only while it is open (its reads too). */
function SearchResults({ me, choose }: { me: Me; choose: (route: Route, reveal: string) => void }) {
  const [query, setQuery] = useState('');
  const typed = useDeferredValue(query);
  const mayListPeople = can(me, 'admin');
  const flags = useFlags();
  const segments = useSegments();
  const people = useUsers(mayListPeople);
  const flagMatches = useMemo(() => matchFlags(flags.data ?? [], typed), [flags.data, typed]);
  const segmentMatches = useMemo(() => matchSegments(segments.data ?? [], typed), [segments.data, typed]);
  const personMatches = useMemo(() => matchPeople(mayListPeople ? (people.data ?? []) : [], typed), [mayListPeople, people.data, typed]);
  // The first result is chosen whenever what is typed changes (Enter opens the best match); the arrows choose another.
  const first = flagMatches.items[0]
    ? `flag:${flagMatches.items[0].key}`
    : segmentMatches.items[0]
      ? `segment:${segmentMatches.items[0].id}`
      : personMatches.items[0]
        ? `person:${personMatches.items[0].id}`
        : '';
  const [chosen, setChosen] = useState<{ value: string; query: string }>();
  const selected = chosen?.query === typed ? chosen.value : first;
  const loading = flags.isPending || segments.isPending || (mayListPeople && people.isPending);
  const more = (shown: number, total: number) =>
    total > shown ? (
      <p className="palette-more muted small" aria-hidden="true">
        {total - shown} more: type more of the name
      </p>
    ) : null;
  return (
    <Command label="Search flags, segments and people" shouldFilter={false} loop value={selected} onValueChange={(value) => setChosen({ value, query: typed })}>
      <Command.Input value={query} onValueChange={setQuery} placeholder="Search flags, segments and people…" aria-label="Search flags, segments and people" />
      <Command.List aria-label="Results">
        {loading && <Command.Loading>Loading…</Command.Loading>}
        {!loading && <Command.Empty>Nothing matches “{query}”.</Command.Empty>}
        {flagMatches.items.length > 0 && (
          <Command.Group heading="Flags">
            {flagMatches.items.map((flag) => (
              <Command.Item key={flag.key} value={`flag:${flag.key}`} onSelect={() => choose({ page: 'flag', key: flag.key }, 'main h1')} data-result="flag">
                <span className="palette-key">{flag.key}</span>
                {flag.archivedAt !== null && <span className="badge">archived</span>}
                {flag.tags.map((tag) => (
                  <span key={tag} className="badge">
                    {tag}
                  </span>
                ))}
                {flag.owner && <span className="muted small"> · {flag.owner}</span>}
                {flag.description && <span className="palette-detail muted small">{flag.description}</span>}
              </Command.Item>
            ))}
            {more(flagMatches.items.length, flagMatches.total)}
          </Command.Group>
        )}
        {segmentMatches.items.length > 0 && (
          <Command.Group heading="Segments">
            {segmentMatches.items.map((segment) => (
              <Command.Item
                key={segment.id}
                value={`segment:${segment.id}`}
                onSelect={() => choose({ page: 'segments' }, `[data-segment="${CSS.escape(segment.name)}"]`)}
                data-result="segment"
              >
                <span className="palette-key">{segment.name}</span>
                {segment.description && <span className="palette-detail muted small">{segment.description}</span>}
              </Command.Item>
            ))}
            {more(segmentMatches.items.length, segmentMatches.total)}
          </Command.Group>
        )}
        {personMatches.items.length > 0 && (
          <Command.Group heading="People">
            {personMatches.items.map((person) => (
              <Command.Item key={person.id} value={`person:${person.id}`} onSelect={() => choose({ page: 'people' }, `#${CSS.escape(personAnchor(person.id))}`)} data-result="person">
                <span className="palette-key">{person.name}</span>
                <span className="palette-detail muted small">{person.email}</span>
              </Command.Item>
            ))}
            {more(personMatches.items.length, personMatches.total)}
          </Command.Group>
        )}
      </Command.List>
    </Command>
  );
}
