/** The ways an app can read a flag, each a snippet the flag page offers to copy. */
export const SNIPPET_KINDS = [
  { kind: 'node', label: 'FlagShip SDK (Node, sdk token)' },
  { kind: 'browser', label: 'FlagShip SDK (browser, frontend token)' },
  { kind: 'openfeature', label: 'OpenFeature with OFREP (sdk token)' },
  { kind: 'unleash', label: 'Unleash SDK (Node, sdk token)' },
  { kind: 'unleash-python', label: 'Unleash SDK (Python, sdk token)' },
  { kind: 'unleash-browser', label: 'Unleash frontend SDK (browser, frontend token)' },
] as const;

export type SnippetKind = (typeof SNIPPET_KINDS)[number]['kind'];

export interface SnippetPlace {
  /** Where the API answers, as the browser reached it (the console is served by the API). */
  apiUrl: string;
  /**
   * Where the notifier answers. The API does not say (it is another process,
   * NOTIFIER_PORT, 8081 by default): the console assumes the API's host on that port.
   */
  notifierUrl: string;
  environment: string;
  flagKey: string;
}

/** A JavaScript string literal in single quotes. */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The code for one way of reading this flag in this environment; tokens stay in the app's environment variables. */
export function sdkSnippet(kind: SnippetKind, { apiUrl, notifierUrl, environment, flagKey }: SnippetPlace): string {
  const key = quoted(flagKey);
  switch (kind) {
    case 'node':
      return `import { FlagShipClient } from '@flagship/sdk';

const flags = new FlagShipClient({
  url: ${quoted(notifierUrl)}, // the notifier (NOTIFIER_PORT), not the API
  token: process.env.FLAGSHIP_SDK_TOKEN!, // an sdk token of ${environment} (Tokens page): it names the environment
});
await flags.ready();
if (flags.isEnabled(${key}, { targetingKey: user.id })) {
  // …
}
`;
    case 'browser':
      return `import { FlagShipBrowserClient, localStorageStore } from '@flagship/sdk';

const flags = new FlagShipBrowserClient({
  url: ${quoted(apiUrl)}, // the API
  token: FLAGSHIP_FRONTEND_TOKEN, // a frontend token of ${environment} (Tokens page): safe in a page
  context: { targetingKey: user.id },
  store: localStorageStore(),
});
await flags.ready();
const on = flags.isEnabled(${key});
`;
    case 'openfeature':
      return `import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

await OpenFeature.setProviderAndWait(
  new OFREPProvider({
    baseUrl: ${quoted(apiUrl)}, // the API
    headers: { Authorization: \`Bearer \${process.env.FLAGSHIP_SDK_TOKEN}\` }, // an sdk token of ${environment} (Tokens page)
  }),
);
const on = await OpenFeature.getClient().getBooleanValue(${key}, false, { targetingKey: user.id });
`;
    case 'unleash':
      return `import { initialize } from 'unleash-client';

const unleash = initialize({
  url: ${quoted(`${apiUrl}/api`)}, // the API + /api
  appName: 'my-app',
  customHeaders: { Authorization: process.env.FLAGSHIP_SDK_TOKEN! }, // an sdk token of ${environment} (Tokens page)
});
unleash.on('synchronized', () => {
  const on = unleash.isEnabled(${key}, { userId: user.id });
});
`;
    case 'unleash-python':
      return `import os
from UnleashClient import UnleashClient

client = UnleashClient(
    url=${quoted(`${apiUrl}/api`)},  # the API + /api
    app_name="my-app",
    custom_headers={"Authorization": os.environ["FLAGSHIP_SDK_TOKEN"]},  # an sdk token of ${environment} (Tokens page)
)
client.initialize_client()
on = client.is_enabled(${key}, {"userId": user.id})
`;
    case 'unleash-browser':
      return `import { UnleashClient } from 'unleash-proxy-client';

const unleash = new UnleashClient({
  url: ${quoted(`${apiUrl}/api/frontend`)}, // the API's frontend endpoint
  clientKey: FLAGSHIP_FRONTEND_TOKEN, // a frontend token of ${environment} (Tokens page): safe in a page
  appName: 'my-app',
});
unleash.updateContext({ userId: user.id });
await unleash.start();
const on = unleash.isEnabled(${key});
`;
  }
}
