// Run by DashboardBrowserIT: opens the dashboard in Debian's Chromium (headless), checks that it is live,
// that its numbers move under load and that a button works, saves a screenshot, and prints one JSON line
// with what it saw. Exits non-zero, with the reason on stderr, when a check fails.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
const TIMEOUT = 45_000;
const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
const number = async (page, testId) => {
  const text = await page.getByTestId(testId).first().textContent();
  return Number((text || '').replace(/[^0-9.]/g, ''));
};
const waitFor = async (page, description, predicate) => {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting until ${description}`);
};

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1440, height: 1100 },
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitFor(page, 'the page is live', async () => (await page.getByTestId('connection').textContent()) === 'live');

  const ordersBefore = await number(page, 'load-orders-accepted');
  const recordsBefore = await number(page, 'stream-seen');
  const visibleBefore = await number(page, 'queue-shipping-orders-visible');
  await waitFor(page, 'accepted orders and stream records increase under load', async () =>
    (await number(page, 'load-orders-accepted')) > ordersBefore && (await number(page, 'stream-seen')) > recordsBefore);

  const poisonBefore = await number(page, 'load-poison');
  await page.getByTestId('inject-poison').click();
  await waitFor(page, 'the poison counter counts the button press', async () => (await number(page, 'load-poison')) === poisonBefore + 1);
  await waitFor(page, 'the button reports its result', async () => /poison message .* sent/.test(await page.getByTestId('action-result').textContent()));
  await waitFor(page, 'shipping-orders shows more visible messages', async () => (await number(page, 'queue-shipping-orders-visible')) > visibleBefore);

  const unavailable = await page.getByTestId('panel-shipping-status').textContent();
  await page.screenshot({ path: screenshot, fullPage: true });
  if (errors.length) throw new Error('errors in the page: ' + errors.join('; '));
  console.log(JSON.stringify({
    ordersBefore, ordersAfter: await number(page, 'load-orders-accepted'),
    recordsBefore, recordsAfter: await number(page, 'stream-seen'),
    visibleBefore, visibleAfter: await number(page, 'queue-shipping-orders-visible'),
    poisonBefore, poisonAfter: await number(page, 'load-poison'),
    shippingPanel: unavailable,
  }));
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
