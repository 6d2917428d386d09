// Imported first by the benchmarks, which measure the gateway as deployed (NODE_ENV=production):
// graphql-js picks its production code paths when it loads (its development instanceOf checks cost
// about 0.35 ms of a search page), so the variable must be set before anything imports it.
process.env.NODE_ENV ??= 'production';
