import type { StreamStatus } from '../live/change-stream.js';
import type { Route } from '../routing/router.js';
import { Link } from './Link.js';

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Signed out',
};

const PAGES: Array<{ route: Route; label: string; pages: Route['page'][] }> = [
  { route: { page: 'flags' }, label: 'Flags', pages: ['flags', 'flag'] },
  { route: { page: 'segments' }, label: 'Segments', pages: ['segments'] },
  { route: { page: 'audit' }, label: 'Audit log', pages: ['audit'] },
  { route: { page: 'tokens' }, label: 'Tokens', pages: ['tokens'] },
  { route: { page: 'environments' }, label: 'Environments', pages: ['environments'] },
];

export function Header({ route, status, onSignOut }: { route: Route; status: StreamStatus; onSignOut: () => void }) {
  return (
    <header className="header">
      <Link to={{ page: 'flags' }} className="brand">
        FlagShip
      </Link>
      <nav aria-label="Console">
        {PAGES.map((page) => (
          <Link key={page.label} to={page.route} current={page.pages.includes(route.page)}>
            {page.label}
          </Link>
        ))}
      </nav>
      <span className={`live-status live-${status}`} role="status" aria-live="polite" data-testid="live-status">
        {STATUS_TEXT[status]}
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
