import { useState } from 'react';
import type { CreatedToken } from '../api/types.js';

/** A new token's secret, shown this once: FlagShip keeps only its hash. */
export function SecretOnce({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="card secret" role="region" aria-label="New token secret">
      <p>
        <strong>Copy the secret of “{created.token.name}” now.</strong> It is not shown again: only its hash is stored.
      </p>
      <code className="secret-value" data-testid="token-secret">
        {created.secret}
      </code>
      <div className="form-actions">
        <button type="button" className="primary" onClick={copy}>
          Copy secret
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
        <span role="status">{copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select it and copy by hand' : ''}</span>
      </div>
    </div>
  );
}
