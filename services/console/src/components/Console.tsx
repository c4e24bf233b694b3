import type { ApiClient, Me } from '../api/client.js';
import { useLiveUpdates } from '../live/use-live-updates.js';
import { can, MeContext } from '../session/roles.js';
import { useRoute } from '../routing/router.js';
import { ChangeRequestPage } from '../change-requests/ChangeRequestPage.js';
import { ChangeRequestsPage } from '../change-requests/ChangeRequestsPage.js';
import { ComparePage } from '../compare/ComparePage.js';
import { AuditPage } from './AuditPage.js';
import { ConfirmProvider } from './ConfirmProvider.js';
import { EnvironmentsPage } from './EnvironmentsPage.js';
import { FlagPage } from './FlagPage.js';
import { FlagsPage } from './FlagsPage.js';
import { Header } from './Header.js';
import { SegmentsPage } from './SegmentsPage.js';
import { PlaygroundPage } from './PlaygroundPage.js';
import { TokensPage } from './TokensPage.js';
import { PeoplePage } from '../people/PeoplePage.js';

/** The signed-in console: the header, the live stream, and the page of the current route. */
export function Console({ api, me, onSignOut }: { api: ApiClient; me: Me; onSignOut: () => void }) {
  const status = useLiveUpdates(api, onSignOut);
  const route = useRoute();
  return (
    <MeContext.Provider value={me}>
    <ConfirmProvider>
      <Header route={route} status={status} me={me} onSignOut={onSignOut} />
      <main className="page">
        {route.page === 'flags' && <FlagsPage />}
        {route.page === 'flag' && <FlagPage flagKey={route.key} tab={route.tab} />}
        {route.page === 'audit' && <AuditPage />}
        {route.page === 'tokens' && can(me, 'admin') && <TokensPage />}
        {route.page === 'environments' && <EnvironmentsPage />}
        {route.page === 'segments' && <SegmentsPage />}
        {route.page === 'playground' && <PlaygroundPage />}
        {route.page === 'compare' && <ComparePage />}
        {route.page === 'change-requests' && <ChangeRequestsPage />}
        {route.page === 'change-request' && <ChangeRequestPage id={route.id} />}
        {route.page === 'people' && can(me, 'admin') && <PeoplePage />}
      </main>
    </ConfirmProvider>
    </MeContext.Provider>
  );
}
