import { useState } from 'react';

/** A button that copies `text` to the clipboard, and says whether it did. */
export function CopyButton({ text, label, primary }: { text: string; label: string; primary?: boolean }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <button type="button" className={primary ? 'primary' : undefined} onClick={copy}>
        {label}
      </button>
      <span role="status">{copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select it and copy by hand' : ''}</span>
    </>
  );
}
