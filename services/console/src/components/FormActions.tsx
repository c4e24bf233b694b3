import type { ReactNode } from 'react';

/** A form's submit and cancel buttons (and anything else beside them). */
export function FormActions({ submit, pending, onCancel, children }: { submit: string; pending: boolean; onCancel: () => void; children?: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="submit" className="primary" disabled={pending}>
        {submit}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      {children}
    </div>
  );
}
