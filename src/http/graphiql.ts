import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Router } from 'express';

// GraphiQL from the project's own node_modules: the page must work with no internet, so nothing
// is loaded from a CDN (the Content-Security-Policy below forbids it).
const assetFiles: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

// The UMD bundles are not in the packages' "exports", so resolve each package's folder instead.
const packageFile = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

const DEFAULT_QUERY = `# Labelgate: label images like IMM's DetectImageLabels, then search them.
# Paste an API key in the box above first (the admin key, or one createApiKey issued).
# Ctrl-Enter runs the query; the Docs pane lists every type.

query Projects {
  projects(first: 10) {
    totalCount
    nodes { name description defaultThreshold createdAt }
  }
}
`;

// The API key box: the key lives in this tab's sessionStorage and goes out as a Bearer header; a new
// key re-renders GraphiQL with a new fetcher, which also reloads the schema.
const initScript = `
const KEY_ITEM = 'labelgate:apiKey';
const keyInput = document.getElementById('api-key');
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
// A link may open GraphiQL on a query: /graphql#query=…&variables=… (the search page's link does).
const linked = new URLSearchParams(window.location.hash.slice(1));
function render(key) {
  const base = GraphiQL.createFetcher({ url: window.location.pathname });
  const fetcher = (params, options) =>
    base(params, { ...options, headers: { ...(options && options.headers), ...(key ? { Authorization: 'Bearer ' + key } : {}) } });
  root.render(React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    ...(linked.has('query') ? { query: linked.get('query'), variables: linked.get('variables') || undefined } : {}),
    defaultEditorToolsVisibility: true,
    // Headers typed in the editor stay in this tab too (the key box says so).
    shouldPersistHeaders: false,
  }));
}
keyInput.value = sessionStorage.getItem(KEY_ITEM) || '';
keyInput.addEventListener('change', () => {
  const key = keyInput.value.trim();
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
  render(key);
});
render(keyInput.value.trim());
`;

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Labelgate GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>
    html, body { height: 100%; margin: 0; }
    body { display: flex; flex-direction: column; font: 14px system-ui, sans-serif; }
    #keybar { display: flex; gap: .5rem; align-items: center; padding: .4rem .8rem; border-bottom: 1px solid #ddd; }
    #keybar input { flex: 1; max-width: 36rem; font: inherit; padding: .2rem .4rem; }
    #keybar small { color: #666; }
    #graphiql { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  <div id="keybar">
    <label for="api-key">API key</label>
    <input id="api-key" type="password" autocomplete="off" spellcheck="false" placeholder="Paste an API key (lg_…) or the admin key">
    <small>Kept in this tab only; sent as Authorization: Bearer.</small>
  </div>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/assets/init.js"></script>
</body>
</html>
`;

const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

export function graphiqlRouter(graphqlPath: string): Router {
  const router = Router();
  const cache = new Map<string, Buffer>();

  // A browser asks for HTML; GraphQL clients send POST or GET with ?query=.
  router.get(graphqlPath, (req, res, next) => {
    if (req.query.query !== undefined || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    res.setHeader('content-security-policy', CSP);
    res.type('html').send(page);
  });

  // Browsers ask for it on every page; an empty answer keeps their consoles clean.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  router.get('/graphiql/assets/init.js', (_req, res) => {
    res.type('text/javascript').send(initScript);
  });

  router.get('/graphiql/assets/:file', (req, res, next) => {
    const asset = assetFiles[req.params.file];
    if (!asset) return next();
    let body = cache.get(req.params.file);
    if (!body) {
      body = readFileSync(packageFile(asset.pkg, asset.file));
      cache.set(req.params.file, body);
    }
    res.setHeader('cache-control', 'public, max-age=86400');
    res.type(asset.type).send(body);
  });

  return router;
}
