import type { StreamStatus } from '../live/change-stream.js';
import type { Route } from '../routing/router.js';
import type { Me } from '../api/client.js';
import { can } from '../session/roles.js';
import { SearchPalette } from '../search/SearchPalette.js';
import { Link } from './Link.js';
import { ProjectSwitcher } from './ProjectSwitcher.js';

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unauthorized: 'Signed out',
};

const PAGES: Array<{ route: Route; label: string; pages: Route['page'][]; needs?: 'admin' }> = [
  { route: { page: 'flags' }, label: 'Flags', pages: ['flags', 'flag'] },
  { route: { page: 'segments' }, label: 'Segments', pages: ['segments'] },
  { route: { page: 'compare' }, label: 'Compare', pages: ['compare'] },
  { route: { page: 'change-requests' }, label: 'Change requests', pages: ['change-requests', 'change-request'] },
  { route: { page: 'playground' }, label: 'Playground', pages: ['playground'] },
  { route: { page: 'audit' }, label: 'Audit log', pages: ['audit'] },
  { route: { page: 'tokens' }, label: 'Tokens', pages: ['tokens'], needs: 'admin' },
  { route: { page: 'environments' }, label: 'Environments', pages: ['environments'] },
  { route: { page: 'people' }, label: 'People', pages: ['people'], needs: 'admin' },
];

export function Header({ route, status, me, onSignOut }: { route: Route; status: StreamStatus; me: Me; onSignOut: () => void }) {
  return (
    <header className="header">
      <Link to={{ page: 'flags' }} className="brand">
        FlagShip
      </Link>
      <nav aria-label="Console">
        {PAGES.filter((page) => page.needs === undefined || can(me, page.needs)).map((page) => (
          <Link key={page.label} to={page.route} current={page.pages.includes(route.page)}>
            {page.label}
          </Link>
        ))}
      </nav>
      <SearchPalette me={me} />
      <ProjectSwitcher route={route} />
      <span className={`live-status live-${status}`} role="status" aria-live="polite" data-testid="live-status">
        {STATUS_TEXT[status]}
      </span>
      <span className="signed-in-as muted small" data-testid="signed-in-as" title={me.roles.map((grant) => `${grant.role}@${grant.project}`).join(', ')}>
        {me.email ?? me.name}
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
