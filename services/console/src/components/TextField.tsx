import type { InputHTMLAttributes, ReactNode } from 'react';
import { FieldErrors, hasFieldError } from './FieldErrors.js';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className' | 'aria-invalid' | 'aria-describedby'>;

export interface TextFieldProps extends InputProps {
  /** The input's id; its hint is `<id>-hint`, its errors `<id>-error`. */
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** The failed request's error: the API's 400 details at `path` are shown under the input, which is then invalid. */
  error: unknown;
  /** The field as the API's details name it (`['owner']`). */
  path: Array<string | number>;
  /** A line under the input, read with it (aria-describedby) before any error. */
  hint?: ReactNode;
  /**
   * `stacked` (default): label, input, hint and errors in one element of class `className`.
   * `grid`: the label and the rest as two cells of the form's grid (`form-grid`).
   */
  layout?: 'stacked' | 'grid';
  /** The stacked wrapper's class (`field`). */
  className?: string;
}

/**
 * A labelled text input with the API's errors for its field under it: the one
 * shape of the console's text fields (`aria-invalid` while the details name
 * the field, `aria-describedby` naming the hint and the errors).
 */
export function TextField({ id, label, value, onChange, error, path, hint, layout = 'stacked', className, ...input }: TextFieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const labelled = <label htmlFor={id}>{label}</label>;
  const field = (
    <>
      <input
        {...input}
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={hasFieldError(error, path)}
        aria-describedby={hint === undefined ? errorId : `${hintId} ${errorId}`}
      />
      {hint !== undefined && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <FieldErrors error={error} path={path} id={errorId} />
    </>
  );
  if (layout === 'grid') {
    return (
      <>
        {labelled}
        <div>{field}</div>
      </>
    );
  }
  return (
    <div className={className}>
      {labelled}
      {field}
    </div>
  );
}
