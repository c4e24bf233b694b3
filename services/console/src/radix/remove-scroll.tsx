import { forwardRef, useEffect, type ElementType, type HTMLAttributes, type ReactNode } from 'react';

/*
 * Stands in for `react-remove-scroll` (Vite aliases it here, vite.config.ts):
 * Radix's modal dialogs lock the page's scrolling with it, and it does so by
 * adding a <style> element, which the console's Content-Security-Policy
 * (`style-src 'self'`, no inline styles) refuses, so the browser reports a
 * violation each time a dialog opens. This locks scrolling through the
 * element's own style property (CSSOM, which the policy allows) instead.
 */

interface RemoveScrollProps extends HTMLAttributes<HTMLElement> {
  as?: ElementType;
  children?: ReactNode;
  enabled?: boolean;
  // react-remove-scroll's options Radix passes; a document that cannot scroll needs none of them.
  allowPinchZoom?: boolean;
  shards?: unknown;
  removeScrollBar?: boolean;
  noIsolation?: boolean;
  inert?: boolean;
}

let locks = 0;
let previousOverflow = '';

export const RemoveScroll = forwardRef<HTMLElement, RemoveScrollProps>(function RemoveScroll(
  { as: As = 'div', children, enabled = true, allowPinchZoom: _pinch, shards: _shards, removeScrollBar: _bar, noIsolation: _isolation, inert: _inert, ...rest },
  ref,
) {
  useEffect(() => {
    if (!enabled) return;
    const root = document.documentElement;
    if (locks++ === 0) {
      previousOverflow = root.style.overflow;
      root.style.overflow = 'hidden';
    }
    return () => {
      if (--locks === 0) root.style.overflow = previousOverflow;
    };
  }, [enabled]);
  return (
    <As ref={ref} {...rest}>
      {children}
    </As>
  );
});

export default RemoveScroll;
