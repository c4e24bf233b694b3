import type { CreatedToken } from '../api/types.js';
import { CopyButton } from './CopyButton.js';

/** A new token's secret, shown this once: FlagShip keeps only its hash. */
export function SecretOnce({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  return (
    <div className="card secret" role="region" aria-label="New token secret">
      <p>
        <strong>Copy the secret of “{created.token.name}” now.</strong> It is not shown again: only its hash is stored.
      </p>
      <code className="secret-value" data-testid="token-secret">
        {created.secret}
      </code>
      <div className="form-actions">
        <CopyButton text={created.secret} label="Copy secret" primary />
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
