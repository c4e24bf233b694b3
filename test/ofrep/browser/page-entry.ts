// Bundled by esbuild into the page of test/ofrep/browser.test.ts: a browser app
// using the real OpenFeature web SDK and OFREP web provider, as users would.
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

interface PageRecord {
  ready: boolean;
  changes: Array<{ flagsChanged: string[] | undefined; banner: boolean }>;
  errors: string[];
}

declare global {
  interface Window {
    flagship: PageRecord;
    startFlags(baseUrl: string, token: string, pollIntervalMs: number): Promise<boolean>;
    bannerValue(): boolean;
  }
}

window.flagship = { ready: false, changes: [], errors: [] };

window.startFlags = async (baseUrl, token, pollIntervalMs) => {
  const provider = new OFREPWebProvider({ baseUrl, headers: [['Authorization', `Bearer ${token}`]], pollInterval: pollIntervalMs });
  const client = OpenFeature.getClient();
  client.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
    window.flagship.changes.push({ flagsChanged: details?.flagsChanged, banner: client.getBooleanValue('banner', false) });
  });
  client.addHandler(ProviderEvents.Error, (details) => {
    window.flagship.errors.push(String(details?.message));
  });
  await OpenFeature.setContext({ targetingKey: 'browser-user' });
  await OpenFeature.setProviderAndWait(provider);
  window.flagship.ready = true;
  window.bannerValue = () => client.getBooleanValue('banner', false);
  return window.bannerValue();
};
