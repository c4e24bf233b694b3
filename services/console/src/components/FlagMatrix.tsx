import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Environment, Flag } from '../api/types.js';
import { FlagRow } from './FlagRow.js';
import { useMediaQuery } from './use-media-query.js';

/** The width from which the matrix has columns (styles.css: below it, each row's cells stack). */
const WIDE_QUERY = '(min-width: 721px)';
/** A row's height on wide screens: `.matrix-body .matrix-row` in styles.css says the same. */
const WIDE_ROW_HEIGHT = 88;

/** Set once the matrix first shows flags, so the time to render can be read in the browser. */
export const MATRIX_RENDERED_MARK = 'flagship:matrix-rendered';
// Once per page load: looking the mark up on every render cost a few milliseconds a keystroke.
let matrixMarked = false;

/**
 * The flag × environment matrix. Only the rows on screen are in the DOM
 * (react-virtual), so 10,000 flags render and filter as fast as 50.
 */
export function FlagMatrix({
  flags,
  environments,
  staleReasons,
  empty,
}: {
  flags: Flag[];
  environments: Environment[];
  /** Why each stale flag looks stale (GET /v1/flags?stale=true), once known. */
  staleReasons?: Map<string, string[]>;
  /** What to show when no flag is listed: it depends on why (none yet, or none matching). */
  empty: ReactNode;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // Wide, every row has the same height (styles.css) and is never measured: measuring each new row forced a
  // layout per row, most of a keystroke's time at 10,000 flags. Narrow, the cells stack and rows vary.
  const wide = useMediaQuery(WIDE_QUERY);
  const virtualizer = useVirtualizer({
    count: flags.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => (wide ? WIDE_ROW_HEIGHT : 160),
    overscan: 8,
    getItemKey: (index) => flags[index]!.key,
  });

  useLayoutEffect(() => {
    if (flags.length > 0 && !matrixMarked) {
      matrixMarked = true;
      performance.mark(MATRIX_RENDERED_MARK);
    }
  }, [flags.length]);

  // One object while the environments stay: the rows are memoized and a new style would re-render each.
  const columns = useMemo(
    () => ({ gridTemplateColumns: `minmax(12rem, 2fr) repeat(${environments.length}, minmax(6.5rem, 1fr))` }),
    [environments.length],
  );
  return (
    <div className="matrix" role="table" aria-label="Flags by environment" aria-rowcount={flags.length + 1}>
      <div className="matrix-head" role="rowgroup">
        <div className="matrix-row" role="row" style={columns} aria-rowindex={1}>
          <span role="columnheader">Flag</span>
          {environments.map((environment) => (
            <span role="columnheader" key={environment.key}>
              {environment.key}
            </span>
          ))}
        </div>
      </div>
      <div className="matrix-body" ref={scroller} role="rowgroup" data-testid="flag-matrix">
        {/* A rowgroup holds rows only (axe: aria-required-children), the empty list's words included. */}
        {flags.length === 0 && (
          <div role="row">
            <div role="cell">{empty}</div>
          </div>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <FlagRow
              key={item.key}
              flag={flags[item.index]!}
              staleReasons={staleReasons?.get(flags[item.index]!.key)}
              environments={environments}
              rowIndex={item.index + 2}
              measure={wide ? undefined : virtualizer.measureElement}
              dataIndex={item.index}
              top={item.start}
              columns={columns}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
