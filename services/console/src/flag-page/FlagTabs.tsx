import * as Tabs from '@radix-ui/react-tabs';
import type { Environment, Flag } from '../api/types.js';
import { FlagHistory } from '../components/FlagHistory.js';
import { FLAG_TABS, navigate, type FlagTab } from '../routing/router.js';
import { MetadataHistory } from './MetadataHistory.js';
import { SettingsTab } from './SettingsTab.js';
import { TargetingTab } from './TargetingTab.js';
import { UsageTab } from './UsageTab.js';

const TAB_NAMES: Record<FlagTab, string> = { targeting: 'Targeting', history: 'History', usage: 'Usage', settings: 'Settings' };

/**
 * A flag page's tabs (Radix Tabs: arrow keys move between them, Home and End
 * to the ends). Choosing one is a new address (`/flag/<key>/history`), so a
 * link opens it and Back returns to the previous one; only the chosen tab is
 * rendered, so the others fetch nothing.
 */
export function FlagTabs({ flag, tab, environments }: { flag: Flag; tab: FlagTab; environments: Environment[] }) {
  const choose = (value: string) => {
    const chosen = FLAG_TABS.find((candidate) => candidate === value);
    if (chosen) navigate({ page: 'flag', key: flag.key, tab: chosen }, { keepScroll: true });
  };
  return (
    <Tabs.Root value={tab} onValueChange={choose} className="flag-tabs">
      <Tabs.List className="tab-list" aria-label={`Sections of ${flag.key}`}>
        {FLAG_TABS.map((value) => (
          <Tabs.Trigger key={value} value={value} className="tab">
            {TAB_NAMES[value]}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      <Tabs.Content value="targeting" className="tab-panel">
        <TargetingTab flag={flag} environments={environments} />
      </Tabs.Content>
      <Tabs.Content value="history" className="tab-panel">
        {flag.archivedAt === null ? (
          <FlagHistory flag={flag} environments={environments.map((environment) => environment.key)} />
        ) : (
          <p>An archived flag’s history is in the audit log; nothing can be restored into it.</p>
        )}
        <MetadataHistory flagKey={flag.key} />
      </Tabs.Content>
      <Tabs.Content value="usage" className="tab-panel">
        <UsageTab flag={flag} environments={environments} />
      </Tabs.Content>
      <Tabs.Content value="settings" className="tab-panel">
        <SettingsTab flag={flag} />
      </Tabs.Content>
    </Tabs.Root>
  );
}
