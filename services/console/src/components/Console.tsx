import type { ApiClient } from '../api/client.js';
import { useLiveUpdates } from '../live/use-live-updates.js';
import { useRoute } from '../routing/router.js';
import { AuditPage } from './AuditPage.js';
import { ConfirmProvider } from './ConfirmProvider.js';
import { EnvironmentsPage } from './EnvironmentsPage.js';
import { FlagPage } from './FlagPage.js';
import { FlagsPage } from './FlagsPage.js';
import { Header } from './Header.js';
import { SegmentsPage } from './SegmentsPage.js';
import { TokensPage } from './TokensPage.js';

/** The signed-in console: the header, the live stream, and the page of the current route. */
export function Console({ api, token, onSignOut }: { api: ApiClient; token: string; onSignOut: () => void }) {
  const status = useLiveUpdates(api, token, onSignOut);
  const route = useRoute();
  return (
    <ConfirmProvider>
      <Header route={route} status={status} onSignOut={onSignOut} />
      <main className="page">
        {route.page === 'flags' && <FlagsPage />}
        {route.page === 'flag' && <FlagPage flagKey={route.key} />}
        {route.page === 'audit' && <AuditPage />}
        {route.page === 'tokens' && <TokensPage />}
        {route.page === 'environments' && <EnvironmentsPage />}
        {route.page === 'segments' && <SegmentsPage />}
      </main>
    </ConfirmProvider>
  );
}
