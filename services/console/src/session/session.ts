// The admin token lives in this tab's sessionStorage only: never localStorage
// (it would outlive the tab and be shared by every tab) and never a cookie.
const KEY = 'flagship.adminToken';

export function loadToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
