// Drives the gateway's web page in headless Debian Chromium against a live ShipGAN stack and checks what a visitor
// sees: real generated images from blob URLs, the seed deciding them, the admin pin/unpin flow, the training views,
// the data credit, the API key on every call, and a console without errors. Saves screenshots of the page.
//
//   SHIPGAN_USER_KEY=... SHIPGAN_ADMIN_KEY=... node page-test.mjs --url http://127.0.0.1:PORT/ --out DIR
//
// (--user-key and --admin-key may stand in for the two variables.)
// Exits 0 when every check passed, 1 with the failed check otherwise.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    url: { type: 'string' },
    'user-key': { type: 'string', default: process.env.SHIPGAN_USER_KEY },
    'admin-key': { type: 'string', default: process.env.SHIPGAN_ADMIN_KEY },
    out: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
for (const required of ['url', 'user-key', 'admin-key', 'out']) {
  if (!options[required]) {
    console.error(`missing --${required}`);
    process.exit(2);
  }
}

const CREDIT = 'Imagery: Planet Labs, Open California, CC BY-SA 4.0';
const PER_ROW = 8;
const WAIT = { timeout: 60_000 };

const problems = [];
let checks = 0;

function check(condition, what, detail = '') {
  if (!condition) {
    throw new Error(`${what}${detail ? `: ${detail}` : ''}`);
  }
  checks++;
  console.log(`ok ${checks} - ${what}`);
}

/** Every gallery image, row by row, with the SHA-256 of the RGBA pixels the browser decoded from it. */
async function galleryImages(page) {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const rows = {};
    for (const row of document.querySelectorAll('#gallery .label-row')) {
      rows[row.dataset.label] = await Promise.all([...row.querySelectorAll('img')].map(async (image) => {
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', pixels));
        return {
          src: image.src, width: image.naturalWidth, height: image.naturalHeight, complete: image.complete,
          version: image.dataset.version, seed: image.dataset.seed, alt: image.alt,
          sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
        };
      }));
    }
    return rows;
  });
}

/** Waits until the gallery shows `perRow` loaded images per label for `seed`. */
async function awaitGallery(page, seed, perRow) {
  await page.waitForFunction(([wantedSeed, wanted]) => {
    const rows = [...document.querySelectorAll('#gallery .label-row')];
    return rows.length > 0 && rows.every((row) => {
      const images = [...row.querySelectorAll('img')];
      return images.length === wanted
        && images.every((image) => image.complete && image.naturalWidth > 0 && image.dataset.seed === wantedSeed);
    });
  }, [seed, perRow], WAIT);
  return galleryImages(page);
}

async function drawSeed(page, seed) {
  await page.fill('#seed', seed);
  await page.click('#seed-form button[type="submit"]');
  return awaitGallery(page, seed, PER_ROW);
}

function hashes(rows) {
  return Object.values(rows).flat().map((image) => image.sha256);
}

/** Confirms the admin dialog, typing the admin key when the page asks for it. */
async function confirmAdmin(page) {
  await page.waitForSelector('#admin-dialog[open]', WAIT);
  if (await page.isVisible('#admin-key')) {
    await page.fill('#admin-key', options['admin-key']);
  }
  await page.click('#admin-confirm');
  await page.waitForSelector('#admin-dialog', { state: 'hidden', ...WAIT });
}

async function run(browser) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  try {
    await visit(page);
  } catch (error) {
    await mkdir(options.out, { recursive: true });
    await page.screenshot({ path: `${options.out}/failure.png`, fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
}

async function visit(page) {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });
  const apiCalls = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) {
      apiCalls.push({ method: request.method(), path: url.pathname, key: request.headers()['x-api-key'] });
    }
  });

  await page.goto(options.url, { waitUntil: 'load' });
  check(await page.title() === 'ShipGAN', 'the page loads with its title');

  await page.waitForSelector('#key-dialog[open]', WAIT);
  check(true, 'the page asks for an API key before its first call');
  check(apiCalls.length === 0, 'no API call before the key is given', JSON.stringify(apiCalls));
  await page.fill('#api-key', options['user-key']);
  await page.click('#key-form button[value="save"]');

  const first = await awaitGallery(page, '1', PER_ROW);
  const labels = Object.keys(first);
  check(labels.length === 2 && labels.includes('ship') && labels.includes('no-ship'),
    'the gallery has a row per label', labels.join(', '));
  const images = Object.values(first).flat();
  check(images.every((image) => image.width === 80 && image.height === 80),
    'every gallery image is an 80×80 sample', JSON.stringify(images.map((image) => image.width)));
  check(images.every((image) => image.src.startsWith('blob:')), 'gallery images are shown from blob URLs');
  check(images.every((image) => image.alt.includes('sample') && image.alt.includes('seed 1')),
    'gallery images have alt text naming the sample and seed', images[0].alt);
  check(new Set(hashes(first)).size === images.length, 'the 16 samples of seed 1 are all different images');

  const sectionCredit = await page.textContent('section:has(#gallery) .credit');
  check(sectionCredit.includes(CREDIT), 'the credit line stands next to the gallery', sectionCredit);
  const credits = await page.locator('.credit', { hasText: CREDIT }).count();
  check(credits >= 3, 'the credit line stands by every kind of generated image', `${credits} credit lines`);

  // Pin the active version through the page, so the byte comparisons below see one model only.
  const activeRow = page.locator('#versions tbody tr[data-status="active"]');
  await activeRow.waitFor(WAIT);
  const activeVersion = await activeRow.getAttribute('data-version');
  // By version, not by status: a newer checkpoint may take over before the click, leaving this one cached.
  await page.getByRole('button', { name: `Pin version ${activeVersion}`, exact: true }).click();
  await confirmAdmin(page);
  await page.waitForFunction((version) => document.querySelector('#active-facts')?.textContent
    .includes(`pinned to v${version}`), activeVersion, WAIT);
  check(true, `pinning version ${activeVersion} through the admin dialog shows it pinned`);

  const seedA = await drawSeed(page, '424242');
  check(Object.values(seedA).flat().every((image) => image.version === activeVersion),
    `seed 424242 is drawn by the pinned version ${activeVersion}`);
  const seedB = await drawSeed(page, '99');
  const a = hashes(seedA);
  const b = hashes(seedB);
  check(a.every((hash, i) => hash !== b[i]), 'entering another seed changes every image');
  const seedAAgain = await drawSeed(page, '424242');
  check(JSON.stringify(hashes(seedAAgain)) === JSON.stringify(a), 'the same seed gives the same pixels again');
  check(seedA.ship.every((image, i) => image.sha256 !== seedA['no-ship'][i].sha256),
    'the two labels draw different images from the same latents');

  await page.click('#more');
  const more = await awaitGallery(page, '424242', 2 * PER_ROW);
  check(labels.every((label) => more[label].slice(0, PER_ROW).every((image, i) => image.sha256
    === seedA[label][i].sha256)), '"More" adds samples and keeps the first eight as they were');

  await page.waitForFunction(() => {
    const strip = document.querySelector('#strip');
    return strip && !strip.hidden && strip.complete && strip.naturalWidth > 0;
  }, null, WAIT);
  const strip = await page.$eval('#strip', (image) => ({ width: image.naturalWidth, height: image.naturalHeight,
    src: image.src }));
  check(strip.width === 8 * 80 + 7 * 2 && strip.height === 80 && strip.src.startsWith('blob:'),
    'the interpolation strip shows 8 steps from a blob URL', JSON.stringify(strip));

  await page.waitForFunction(() => {
    const grid = document.querySelector('#timeline-grid');
    const curves = document.querySelector('#curves');
    return grid.complete && grid.naturalWidth > 0 && curves.complete && curves.naturalWidth > 0;
  }, null, WAIT);
  const state = (await page.textContent('#training-state')).trim();
  check(['training', 'loading', 'stopped', 'idle'].includes(state), 'the training state is shown', state);
  check((await page.textContent('#training-progress-text')).includes('step'), 'the training step is shown');
  check(true, 'the curve image and the latest checkpoint grid are shown');

  await page.click('#unpin');
  await confirmAdmin(page);
  await page.waitForFunction(() => document.querySelector('#active-facts')?.textContent
    .includes('follows the latest good version'), null, WAIT);
  check(true, 'unpinning through the page (admin key kept in the tab) follows the latest version again');

  const admin = apiCalls.filter((call) => call.method !== 'GET');
  const reads = apiCalls.filter((call) => call.method === 'GET');
  check(reads.length > 0 && reads.every((call) => call.key === options['user-key']),
    `all ${reads.length} API reads sent the user key in X-API-Key`,
    JSON.stringify(reads.filter((call) => call.key !== options['user-key'])));
  check(admin.length === 2 && admin.every((call) => call.key === options['admin-key']),
    'the pin and unpin calls sent the admin key', JSON.stringify(admin));

  await mkdir(options.out, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => {
    document.getElementById('notice').hidden = true;
  });
  await page.screenshot({ path: `${options.out}/page.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${options.out}/page-narrow.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, 'a 390 px wide screen needs no sideways scrolling', `${overflow} px too wide`);

  check(problems.length === 0, 'no console errors, page errors, failed requests or error answers',
    problems.join('\n'));
}

const browser = await chromium.launch({
  executablePath: options.chromium,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-gpu'],
});
try {
  await run(browser);
  console.log(`page test: all ${checks} checks passed`);
} catch (error) {
  console.error(`page test FAILED after ${checks} checks: ${error.message}`);
  if (problems.length) {
    console.error(`also seen:\n${problems.join('\n')}`);
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
