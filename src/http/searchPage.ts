import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { projectRoot } from '../config/projectRoot';

/** Where `npm run build` puts the search page (web/, built by Vite). */
export const SEARCH_PAGE_DIR = join(projectRoot, 'dist', 'web');
export const SEARCH_PAGE_PATH = '/search';

// Everything the page loads comes from this server: its own bundle, and thumbnails from /images.
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The search page at /search/: its HTML (never cached, so a new build shows at once) and its
 * assets (named by content hash, so cached for a year).
 */
export function searchPageRouter(dir = SEARCH_PAGE_DIR): Router {
  const router = Router();
  const index = join(dir, 'index.html');

  router.get([SEARCH_PAGE_PATH, `${SEARCH_PAGE_PATH}/`, `${SEARCH_PAGE_PATH}/index.html`], (req, res) => {
    if (req.path === SEARCH_PAGE_PATH) return res.redirect(301, `${SEARCH_PAGE_PATH}/${req.url.slice(SEARCH_PAGE_PATH.length)}`);
    if (!existsSync(index)) return res.status(503).type('text').send('The search page is not built: run `npm run build`.');
    res.setHeader('content-security-policy', CSP);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  router.use(
    `${SEARCH_PAGE_PATH}/assets`,
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  return router;
}
