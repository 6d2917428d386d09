import { Browser, chromium } from 'playwright-core';
import { chromiumPath } from '../../tools/services/chromium';

/** Debian's Chromium, headless; no network here, so it is kept from calling home (Playwright gives it a fresh profile). */
export function launchOfflineChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
