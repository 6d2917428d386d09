import { readFileSync } from 'node:fs';
import { Router } from 'express';

// GraphiQL from the project's own node_modules: the page must work with no internet, so nothing
// is loaded from a CDN (the Content-Security-Policy below forbids it).
const assetFiles: Record<string, { module: string; type: string }> = {
  'react.js': { module: 'react/umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { module: 'react-dom/umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { module: 'graphiql/graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { module: 'graphiql/graphiql.min.css', type: 'text/css' },
};

const DEFAULT_QUERY = `# Labelgate: label images like IMM's DetectImageLabels, then search them.
# Ctrl-Enter runs the query; the Docs pane lists every type.

query Projects {
  projects(first: 10) {
    totalCount
    nodes { name description defaultThreshold createdAt }
  }
}
`;

const initScript = `
const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
root.render(React.createElement(GraphiQL, {
  fetcher,
  defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
  defaultEditorToolsVisibility: true,
  shouldPersistHeaders: true,
}));
`;

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Labelgate GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/assets/init.js"></script>
</body>
</html>
`;

const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";

export function graphiqlRouter(graphqlPath: string): Router {
  const router = Router();
  const cache = new Map<string, Buffer>();

  // A browser asks for HTML; GraphQL clients send POST or GET with ?query=.
  router.get(graphqlPath, (req, res, next) => {
    if (req.query.query !== undefined || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    res.setHeader('content-security-policy', CSP);
    res.type('html').send(page);
  });

  router.get('/graphiql/assets/init.js', (_req, res) => {
    res.type('text/javascript').send(initScript);
  });

  router.get('/graphiql/assets/:file', (req, res, next) => {
    const asset = assetFiles[req.params.file];
    if (!asset) return next();
    let body = cache.get(req.params.file);
    if (!body) {
      body = readFileSync(require.resolve(asset.module));
      cache.set(req.params.file, body);
    }
    res.setHeader('cache-control', 'public, max-age=86400');
    res.type(asset.type).send(body);
  });

  return router;
}
