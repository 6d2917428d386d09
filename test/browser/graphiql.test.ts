import type { Browser } from 'playwright-core';
import { launchOfflineChromium } from '../support/offlineChromium';
import { adminKey, bearer, startTestServer, TestServer, uniqueName } from '../support/testServer';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchOfflineChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('GraphiQL in a real browser', () => {
  it('loads from the server alone, takes a pasted API key, runs a query and shows the result', async () => {
    const name = uniqueName('graphiql');
    await server.gql('mutation($n: String!) { createProject(input: { name: $n, description: "seen in GraphiQL" }) { name } }', { n: name });
    const created = await server.gql(
      'mutation($n: String!) { createApiKey(input: { name: "browser", actions: [ReadProjects], projectNames: [$n] }) { key } }',
      { n: name },
    );
    const key: string = created.body.data!.createApiKey.key;

    const page = await browser.newPage();
    const foreignRequests: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) foreignRequests.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${server.url}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });

    // Replace the default query with one that names our project, then run it.
    const query = `{ project(name: "${name}") { name description } }`;
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.getByText('query Projects').waitFor({ timeout: 30_000 });
    await page.evaluate((text) => {
      const cm = (document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } })
        .CodeMirror;
      cm.setValue(text);
    }, query);
    await editor.getByText(name).waitFor();

    // GraphiQL picks up the new operation name after a short debounce; a person would just click
    // again, so the test does too (a few times at most) rather than sleeping a fixed time.
    const result = page.locator('.result-window');
    const runUntil = async (text: string) => {
      for (let attempt = 0; attempt < 10; attempt += 1) {
        await page.locator('.graphiql-execute-button').click();
        try {
          await result.getByText(text).waitFor({ timeout: 3000 });
          return;
        } catch {
          if (attempt === 9) await page.screenshot({ path: 'graphiql-failure.png' });
        }
      }
    };
    // Without a key the API says so; with the pasted key the same query answers.
    await runUntil('InvalidAccessKeyId');
    expect(await result.innerText()).toContain('API key is required');
    await page.locator('#api-key').fill(key);
    await page.locator('#api-key').press('Enter');
    await page.locator('#api-key').blur();
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor();
    await page.evaluate((text) => {
      const cm = (document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } })
        .CodeMirror;
      cm.setValue(text);
    }, query);
    await runUntil('seen in GraphiQL');
    expect(await result.innerText()).toContain(name);
    expect(await page.evaluate(() => sessionStorage.getItem('labelgate:apiKey'))).toBe(key);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);

    await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: name });
  });

  it('API clients asking for JSON still get GraphQL, not the page', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ projects { totalCount } }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true', ...bearer(adminKey()) },
    });
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect((await response.json()).data.projects.totalCount).toEqual(expect.any(Number));
  });
});
