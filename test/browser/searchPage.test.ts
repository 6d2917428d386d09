import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchOfflineChromium } from '../support/offlineChromium';
import { sharedDir } from '../support/sharedData';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';

// The search page in a real Chromium, against the real gateway, models, Postgres and Elasticsearch:
// a few shared photos labelled, then searched as a person would. What the grid should show is
// asked of the API itself, so the test holds whatever labels the models give.

const PHOTOS = ['chelsea.png', 'coffee.png', 'horse.png', 'astronaut.png', 'rocket.jpg', 'camera.png'];
const PAGE_SIZE = 2;
const photos = join(sharedDir, 'images', 'photos');
const project = uniqueName('web');
const elsewhere = uniqueName('web-other');

let server: TestServer;
let browser: Browser;
let searchKey: string;
let otherKey: string;
const sourceOf = new Map<string, string>();

type Facet = { labelId: string; name: string; count: number };
const FACETS = `query($p: String!, $filter: SearchImagesFilter) { searchImages(projectName: $p, filter: $filter, first: 100, language: ZH_HANS, facetSize: 15) {
  totalCount nodes { id } facets { categories { labelId name count } labels { labelId name count } }
} }`;

/** The ids the API finds for a filter, and its facets: what the page must show for the same search. */
async function expected(filter: Record<string, unknown> | null = null) {
  const result = await server.gql(FACETS, { p: project, filter });
  expect(result.body.errors).toBeUndefined();
  const found = result.body.data!.searchImages;
  return {
    ids: (found.nodes as { id: string }[]).map((n) => n.id).sort(),
    total: found.totalCount as number,
    categories: found.facets.categories as Facet[],
    labels: found.facets.labels as Facet[],
  };
}

async function createKey(input: Record<string, unknown>): Promise<string> {
  const result = await server.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }', { input });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.createApiKey.key;
}

beforeAll(async () => {
  server = await startTestServer({ FILE_ROOTS: photos });
  for (const name of [project, elsewhere]) {
    const created = await server.gql('mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }', {
      input: { name, sources: { fileRoots: [photos] } },
    });
    expect(created.body.errors).toBeUndefined();
  }
  for (const photo of PHOTOS) {
    const result = await server.gql('mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } } }', {
      input: { projectName: project, sourceURI: `file://${photos}/${photo}`, threshold: 0.3 },
    });
    expect(result.body.errors).toBeUndefined();
    sourceOf.set(result.body.data!.detectImageLabels.image.id, photo);
  }
  // Indexed by the outbox relay, a moment later.
  for (let i = 0; i < 100 && (await expected()).total < PHOTOS.length; i += 1) {
    server.relay.kick();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // What a frontend gets: a key that may only search this project, and expires.
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  searchKey = await createKey({ name: 'search page', actions: ['SearchImages'], projectNames: [project], expiresAt: inAnHour });
  otherKey = await createKey({ name: 'another project', actions: ['SearchImages'], projectNames: [elsewhere], expiresAt: inAnHour });
  browser = await launchOfflineChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const name of [project, elsewhere]) await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: name });
  await server?.close();
});

/** The ids of the images the grid shows, once it shows `count` of them. */
async function gridIds(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction((n) => document.querySelectorAll('#grid .card').length === n, count, { timeout: 20_000 });
  return (await page.locator('#grid .card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-image-id')!))).sort();
}

async function statusSays(page: Page, text: string): Promise<void> {
  try {
    await page.locator('#status', { hasText: text }).waitFor({ timeout: 20_000 });
  } catch (error) {
    // Say what the page said instead.
    throw new Error(`the status never said "${text}"; it says "${await page.locator('#status').innerText()}"`, { cause: error });
  }
}

/** Scrolls to the end of the grid until every page is shown. */
async function scrollToEnd(page: Page, total: number): Promise<string[]> {
  for (let shown = await page.locator('#grid .card').count(); shown < total; shown = await page.locator('#grid .card').count()) {
    await page.locator('.page-end').scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => document.querySelectorAll('#grid .card').length > n, shown, { timeout: 20_000 });
  }
  return gridIds(page, total);
}

/** Every thumbnail of the grid has loaded and decoded. */
async function thumbnailsLoaded(page: Page): Promise<void> {
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll<HTMLImageElement>('#grid img')).every((img) => img.complete && img.naturalWidth > 0),
    null,
    { timeout: 20_000 },
  );
}

/** A window as wide as a laptop's; `small` shows fewer images than the project has. */
async function openWithKey(key: string, name: string, small = false): Promise<{ page: Page; foreign: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: small ? { width: 700, height: 400 } : { width: 1280, height: 900 } });
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/search/?pageSize=${PAGE_SIZE}`);
  await page.locator('#api-key').fill(key);
  await page.locator('#api-key').press('Enter');
  await page.locator('#project').fill(name);
  await page.locator('#project').press('Enter');
  return { page, foreign, errors };
}

describe('the search page in a real browser', () => {
  it('shows every labelled photo a page at a time as one scrolls, with thumbnails that load', async () => {
    const { page, foreign, errors } = await openWithKey(searchKey, project, true);
    const all = await expected();
    expect(all.total).toBe(PHOTOS.length);
    await statusSays(page, `${PHOTOS.length} images`);
    // The first page, and more only while the end of the grid is in view: then it stops, short of all.
    await page.waitForFunction((n) => document.querySelectorAll('#grid .card').length >= n, PAGE_SIZE);
    await page.waitForTimeout(1000);
    const before = await page.locator('#grid .card').count();
    expect(before % PAGE_SIZE).toBe(0);
    expect(before).toBeLessThan(PHOTOS.length);
    expect(await scrollToEnd(page, PHOTOS.length)).toEqual(all.ids);

    // Thumbnails load through their signed URLs (an <img> sends no key).
    await thumbnailsLoaded(page);
    const sources = await page.locator('#grid img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).src));
    for (const src of sources) expect(src).toMatch(/\/images\/[0-9a-f-]{36}\/thumbnail\?size=256&expires=\d+&sig=/);
    expect(await page.locator('#grid .card .label').count()).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a label found by typing, a facet click and an alt-click narrow the grid as the API does', async () => {
    const { page, errors } = await openWithKey(searchKey, project);
    await statusSays(page, `${PHOTOS.length} images`);
    const all = await expected();

    // The most common specific label that not every photo has: suggested as one types its name.
    const label = all.labels.find((facet) => facet.count < PHOTOS.length && facet.count > 0)!;
    expect(label).toBeDefined();
    await page.locator('#search-text').fill(label.name);
    await page.locator(`.suggestions [data-label-id="${label.labelId}"]`).click();
    const withLabel = await expected({ allOf: [label.labelId] });
    await statusSays(page, `${withLabel.total} image`);
    expect(await scrollToEnd(page, withLabel.total)).toEqual(withLabel.ids);
    await page.locator(`#active-filters .chip.included[data-label-id="${label.labelId}"]`).click();
    await statusSays(page, `${PHOTOS.length} images`);

    // A click on a category facet includes it.
    const category = all.categories.find((facet) => facet.count < PHOTOS.length)!;
    expect(category).toBeDefined();
    await page.locator(`[data-facet="Categories"] [data-label-id="${category.labelId}"]`).click();
    const inCategory = await expected({ allOf: [category.labelId] });
    await statusSays(page, `${inCategory.total} image`);
    expect(await scrollToEnd(page, inCategory.total)).toEqual(inCategory.ids);
    await page.locator(`[data-facet="Categories"] [data-label-id="${category.labelId}"]`).click(); // and again clears it
    await statusSays(page, `${PHOTOS.length} images`);

    // An alt-click excludes one: none of the grid's images has it.
    await page.locator(`[data-facet="Labels"] [data-label-id="${label.labelId}"]`).click({ modifiers: ['Alt'] });
    const without = await expected({ noneOf: [label.labelId] });
    expect(without.total).toBe(PHOTOS.length - withLabel.total);
    await statusSays(page, `${without.total} image`);
    expect(await scrollToEnd(page, without.total)).toEqual(without.ids);
    // The facets count the images shown, which lack it: the excluded label shows as a chip.
    expect(await page.locator(`#active-filters .chip.excluded[data-label-id="${label.labelId}"]`).count()).toBe(1);

    // The GraphiQL link carries the same query and variables.
    const link = new URL((await page.locator('#graphiql-link').getAttribute('href'))!, server.url);
    const linked = new URLSearchParams(link.hash.slice(1));
    expect(linked.get('query')).toContain('searchImages(');
    expect(JSON.parse(linked.get('variables')!).filter).toEqual({ noneOf: [label.labelId] });
    const graphiql = await browser.newPage();
    await graphiql.goto(link.toString());
    await graphiql.locator('.graphiql-query-editor .CodeMirror').getByText('searchImages(').first().waitFor({ timeout: 30_000 });
    await graphiql.locator('.graphiql-editor-tool .CodeMirror').getByText(label.labelId).first().waitFor({ state: 'attached' });
    await graphiql.close();

    if (process.env.LABELGATE_SCREENSHOT_DIR) {
      // docs/search-page.png: the page as a person sees it, the pointer on an image with object boxes.
      await page.locator(`#active-filters .chip.excluded[data-label-id="${label.labelId}"]`).click();
      await statusSays(page, `${PHOTOS.length} images`);
      // English names: the test machine's Chromium may have no CJK fonts.
      await page.locator('#language').selectOption('EN');
      await page.waitForFunction(() => /^[A-Za-z]/.test(document.querySelector('[data-facet="Labels"] .name')?.textContent ?? ''));
      await scrollToEnd(page, PHOTOS.length);
      await thumbnailsLoaded(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator('#grid .card:has(.box)').first().hover();
      mkdirSync(process.env.LABELGATE_SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(process.env.LABELGATE_SCREENSHOT_DIR, 'search-page.png') });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('raising the minimum confidence narrows the grid as the API does', async () => {
    const { page } = await openWithKey(searchKey, project);
    await statusSays(page, `${PHOTOS.length} images`);
    await page.locator('#min-confidence').fill('0.9');
    const confident = await expected({ minConfidence: 0.9 });
    await page.locator('#min-confidence-value', { hasText: '90%' }).waitFor();
    await statusSays(page, `${confident.total} image`);
    expect(await scrollToEnd(page, confident.total)).toEqual(confident.ids);
    await page.close();
  });

  it("draws the API's object boxes over a thumbnail on hover", async () => {
    const boxed = await server.gql(
      `query($p: String!) { searchImages(projectName: $p, first: 100) { nodes { id labels { labelId instances { boundingBox { left top width height } } } } } }`,
      { p: project },
    );
    type Box = { left: number; top: number; width: number; height: number };
    const nodes = boxed.body.data!.searchImages.nodes as { id: string; labels: { instances: { boundingBox: Box }[] }[] }[];
    const image = nodes.find((node) => node.labels.some((label) => label.instances.length > 0))!;
    expect(image).toBeDefined(); // YOLOX boxes the cat, the horse, the people
    const boxes = image.labels.flatMap((label) => label.instances.map((instance) => instance.boundingBox));

    const { page, errors } = await openWithKey(searchKey, project);
    await statusSays(page, `${PHOTOS.length} images`);
    await scrollToEnd(page, PHOTOS.length);
    const card = page.locator(`#grid .card[data-image-id="${image.id}"]`);
    const overlay = card.locator('.boxes');
    expect(await overlay.evaluate((el) => getComputedStyle(el).opacity)).toBe('0');
    await card.hover();
    await page.waitForFunction(
      (id) => getComputedStyle(document.querySelector(`[data-image-id="${id}"] .boxes`)!).opacity === '1',
      image.id,
    );
    // Each box sits where the API puts it, as a share of the image.
    const frame = await card.locator('.frame').boundingBox();
    const drawn = await card
      .locator('.box')
      .evaluateAll((els) =>
        els.map((el) => el.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }),
      );
    expect(drawn).toHaveLength(boxes.length);
    drawn.forEach((rect, i) => {
      expect(Math.abs(rect.x - (frame!.x + boxes[i].left * frame!.width))).toBeLessThan(2);
      expect(Math.abs(rect.y - (frame!.y + boxes[i].top * frame!.height))).toBeLessThan(2);
      expect(Math.abs(rect.width - boxes[i].width * frame!.width)).toBeLessThan(2);
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers the projects the key may list to pick from', async () => {
    const listing = await createKey({ name: 'lists projects', actions: ['SearchImages', 'ReadProjects'], projectNames: [project] });
    const { page } = await openWithKey(listing, project);
    await page.locator(`#project-names option[value="${project}"]`).waitFor({ state: 'attached' });
    expect(await page.locator('#project-names option').count()).toBe(1);
    await page.close();
  });

  it('keeps what is typed in a box while the page re-renders for something else', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/search/?pageSize=${PAGE_SIZE}`);
    await page.locator('#project').fill(project); // typed, not yet committed
    await page.locator('#api-key').fill(searchKey);
    await page.locator('#api-key').press('Enter'); // the key re-renders the page
    await page.locator('#language').selectOption('EN'); // and so does the language
    expect(await page.locator('#project').inputValue()).toBe(project);
    await page.locator('#project').press('Enter');
    await statusSays(page, `${PHOTOS.length} images`);
    await page.close();
  });

  it('a key without access to the project sees nothing', async () => {
    const { page } = await openWithKey(otherKey, project);
    await statusSays(page, 'ResourceNotFound');
    expect(await page.locator('#grid .card').count()).toBe(0);
    await page.close();
  });
});
