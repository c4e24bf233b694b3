/** How long a page may take to show what the palette opened (its data may still be loading). */
const REVEAL_WITHIN_MS = 5000;

/**
 * Once the element `selector` names is on the page (the page just navigated to
 * may still be loading), scrolls to it and moves the keyboard focus there: a
 * keyboard user lands on what they chose, not at the top of the page.
 */
export function revealWhenShown(selector: string): void {
  const deadline = performance.now() + REVEAL_WITHIN_MS;
  const tick = () => {
    const element = document.querySelector<HTMLElement>(selector);
    if (element) {
      if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
      element.scrollIntoView({ block: 'center' });
      element.focus({ preventScroll: true });
      return;
    }
    if (performance.now() < deadline) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
