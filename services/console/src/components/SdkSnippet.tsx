import { useState } from 'react';
import { SNIPPET_KINDS, sdkSnippet, type SnippetKind } from '../snippets/sdk-snippets.js';
import { CopyButton } from './CopyButton.js';

/** The notifier's port when NOTIFIER_PORT is not set: the API does not publish where the notifier is. */
const DEFAULT_NOTIFIER_PORT = 8081;

/** How to read this flag in this environment from code: a snippet per SDK, with a copy button. */
export function SdkSnippet({ flagKey, environment }: { flagKey: string; environment: string }) {
  const [kind, setKind] = useState<SnippetKind>('node');
  const { origin, protocol, hostname } = window.location;
  const code = sdkSnippet(kind, { apiUrl: origin, notifierUrl: `${protocol}//${hostname}:${DEFAULT_NOTIFIER_PORT}`, environment, flagKey });
  const id = `snippet-${flagKey}-${environment}`;
  return (
    <details className="sdk-snippet">
      <summary>Use {flagKey} from code in {environment}</summary>
      <div className="field">
        <label htmlFor={`${id}-kind`}>SDK</label>
        <select id={`${id}-kind`} value={kind} onChange={(event) => setKind(event.target.value as SnippetKind)}>
          {SNIPPET_KINDS.map((candidate) => (
            <option key={candidate.kind} value={candidate.kind}>
              {candidate.label}
            </option>
          ))}
        </select>
      </div>
      {/* Focusable: on a narrow screen the code scrolls sideways, and keyboard users must be able to scroll it too. */}
      <pre className="snippet" aria-label={`Snippet for ${environment}`} tabIndex={0}>
        <code>{code}</code>
      </pre>
      <div className="form-actions">
        <CopyButton text={code} label="Copy snippet" />
      </div>
    </details>
  );
}
