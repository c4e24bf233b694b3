import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { useEnvironments } from '../api/queries.js';
import type { PlaygroundResult, TraceStep } from '../api/types.js';
import { ErrorNote } from './ErrorNote.js';

const EXAMPLE_CONTEXT = '{\n  "targetingKey": "user-42",\n  "email": "ada@acme.com",\n  "properties": { "plan": "pro" }\n}';

/** A context evaluated in an environment, now or as of a version or time, with why each flag answers as it does. */
export function PlaygroundPage() {
  const api = useApi();
  const environments = useEnvironments();
  const [environment, setEnvironment] = useState('');
  const [context, setContext] = useState(EXAMPLE_CONTEXT);
  const [flags, setFlags] = useState('');
  const [asOf, setAsOf] = useState('');
  const [explain, setExplain] = useState(true);
  const [result, setResult] = useState<PlaygroundResult | undefined>();
  const [error, setError] = useState<unknown>();
  const chosen = environment || environments.data?.[0]?.key || '';

  const run = async () => {
    setError(undefined);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(context) as Record<string, unknown>;
    } catch (caught) {
      setError(new Error(`The context is not JSON: ${(caught as Error).message}`));
      return;
    }
    try {
      const keys = flags.split(',').map((key) => key.trim()).filter((key) => key !== '');
      setResult(await api.playground({
        environment: chosen,
        context: parsed,
        ...(keys.length > 0 ? { flags: keys } : {}),
        ...(asOf.trim() !== '' ? { asOf: /^\d+$/.test(asOf.trim()) ? Number(asOf.trim()) : asOf.trim() } : {}),
        explain,
      }));
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section aria-labelledby="playground-title" className="playground">
      <h1 id="playground-title">Playground</h1>
      <form onSubmit={(event) => { event.preventDefault(); void run(); }}>
        <label>
          Environment{' '}
          <select value={chosen} onChange={(event) => setEnvironment(event.target.value)}>
            {(environments.data ?? []).map((row) => <option key={row.key} value={row.key}>{row.key}</option>)}
          </select>
        </label>
        <label>
          Context (JSON)
          <textarea rows={8} cols={60} value={context} onChange={(event) => setContext(event.target.value)} />
        </label>
        <label>
          Flags (comma-separated; empty: all){' '}
          <input value={flags} onChange={(event) => setFlags(event.target.value)} />
        </label>
        <label>
          As of (a version or an RFC 3339 time; empty: now){' '}
          <input value={asOf} placeholder="2026-05-01T14:03:00Z" onChange={(event) => setAsOf(event.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={explain} onChange={(event) => setExplain(event.target.checked)} /> Explain
        </label>
        <button type="submit">Evaluate</button>
      </form>
      <ErrorNote error={error} />
      {result && (
        <>
          <p>
            {result.environment} at version {result.version}
          </p>
          <table className="playground-answers">
            <thead>
              <tr><th>flag</th><th>enabled</th><th>variant</th><th>value</th><th>reason</th><th>why</th></tr>
            </thead>
            <tbody>
              {result.flags.map((answer) => (
                <tr key={answer.key}>
                  <td>{answer.key}</td>
                  <td>{answer.enabled ? 'on' : 'off'}</td>
                  <td>{answer.variant.name}</td>
                  <td><code>{JSON.stringify(answer.value)}</code></td>
                  <td>{answer.reason}{answer.errorCode ? ` (${answer.errorCode})` : ''}</td>
                  <td>{answer.trace ? <Trace steps={answer.trace} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The checks of one answer in the order they ran, each with what it saw and whether it held. */
function Trace({ steps }: { steps: TraceStep[] }) {
  return (
    <ol className="trace">
      {steps.map((step, index) => (
        <li key={index} className={step.held ? 'held' : 'failed'}>
          <span aria-label={step.held ? 'held' : 'did not hold'}>{step.held ? '✓' : '✗'}</span> {describe(step)}
        </li>
      ))}
    </ol>
  );
}

function describe(step: TraceStep): string {
  const seen = (value: unknown) => (value === null || value === undefined ? 'nothing' : JSON.stringify(value));
  switch (step.kind) {
    case 'flag':
      return `flag switched ${step.enabled ? 'on' : 'off'}`;
    case 'dependency':
      return `depends on ${String(step.flag)} (${String(step.expected)}${Array.isArray(step.variants) ? `: ${step.variants.join(', ')}` : ''}): it is ${step.missing ? 'missing' : step.parentEnabled ? 'on' : 'off'}${step.parentVariant ? `, variant ${String(step.parentVariant)}` : ''}`;
    case 'strategy':
      return `strategy ${Number(step.strategy) + 1}: ${String(step.name)}${step.id ? ` (${String(step.id)})` : ''}`;
    case 'constraint':
      return `${step.segment !== undefined ? `segment ${String(step.segment)}: ` : ''}${String(step.contextName)} ${step.inverted ? 'NOT ' : ''}${String(step.operator)} ${JSON.stringify(step.values ?? step.value)} — saw ${seen(step.contextValue)}`;
    case 'segment':
      return `segment ${String(step.name ?? step.segment)}${step.missing ? ' (missing)' : ''}`;
    case 'rollout':
      return `${String(step.name)}${step.percentage !== undefined ? ` ${String(step.percentage)}%` : ''}: ${step.keyMissing ? 'no key to hash' : step.bucket !== undefined ? `bucket ${String(step.bucket)} of ${seen(step.contextValue)}` : `saw ${seen(step.contextValue)}`}`;
    case 'variant':
      return `variant ${String(step.name)} from the ${String(step.source)}'s list, by ${String(step.by)}${step.hash !== undefined ? ` (hash ${String(step.hash)} of ${String(step.totalWeight)})` : ''}`;
    default:
      return step.kind;
  }
}
