import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef } from 'react';
import type { Environment, Flag } from '../api/types.js';
import { FlagRow } from './FlagRow.js';

/** Set once the matrix first shows flags, so the time to render can be read in the browser. */
export const MATRIX_RENDERED_MARK = 'flagship:matrix-rendered';

/**
 * The flag × environment matrix. Only the rows on screen are in the DOM
 * (react-virtual), so 5,000 flags render and filter as fast as 50.
 */
export function FlagMatrix({
  flags,
  environments,
  staleReasons,
}: {
  flags: Flag[];
  environments: Environment[];
  /** Why each shown flag looks stale, while the stale filter is on. */
  staleReasons?: Map<string, string[]>;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: flags.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 52,
    overscan: 8,
    getItemKey: (index) => flags[index]!.key,
  });

  useLayoutEffect(() => {
    if (flags.length > 0 && performance.getEntriesByName(MATRIX_RENDERED_MARK).length === 0) performance.mark(MATRIX_RENDERED_MARK);
  }, [flags.length]);

  const columns = { gridTemplateColumns: `minmax(12rem, 2fr) repeat(${environments.length}, minmax(6.5rem, 1fr))` };
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
        {flags.length === 0 && <p className="empty">No flag matches.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => (
            <FlagRow
              key={item.key}
              flag={flags[item.index]!}
              staleReasons={staleReasons?.get(flags[item.index]!.key)}
              environments={environments}
              rowIndex={item.index + 2}
              measure={virtualizer.measureElement}
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
