import type { Response } from 'express';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A page for a browser that came back from the identity provider (or tried to
 * leave for it) and cannot be signed in: it lands on a page, not on JSON. The
 * code is the same one FlagShip's JSON errors use, for support and tests.
 */
export function sendSignInProblem(res: Response, status: number, code: string, message: string, retryAfterSeconds?: string): void {
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', retryAfterSeconds);
  res.setHeader('Cache-Control', 'no-store');
  res
    .status(status)
    .type('html')
    .send(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed · FlagShip</title></head><body>' +
        '<main><h1>You are not signed in</h1>' +
        `<p id="message">${escapeHtml(message)}</p>` +
        `<p>Error code: <code id="code">${escapeHtml(code)}</code></p>` +
        '<p><a href="/">Back to the sign-in page</a></p></main></body></html>',
    );
}
