// Run by DashboardBrowserIT: opens the dashboard in Debian's Chromium (headless), checks that it is live,
// that its numbers move under load, that a button works, that the charts fill, that the "split a shard" switch
// shows on the charts and loses no click, and that an order's path shows; saves screenshots and prints one JSON
// line with what it saw. Exits non-zero, with the reason on stderr, when a check fails.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const chartShards = async (page) => new Set(((await page.getByTestId('chart-stream').getAttribute('data-series')) || '')
  .split('|').filter((s) => s.endsWith(' in')).map((s) => s.slice(0, -3))).size;

const [url, screenshots, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
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
  // The process switches (analytics' database, kill a shipping worker) exist only under the embedded launcher; attached,
  // as here, the page greys them out and says why.
  await waitFor(page, 'the process switches say why they are off', async () =>
    /only the embedded demo/.test(await page.getByTestId('process-faults-state').textContent()));
  const processSwitchesDisabled = await page.getByTestId('fault-shipping-kill').isDisabled()
    && await page.getByTestId('fault-analytics-db').isDisabled();
  await page.screenshot({ path: join(screenshots, 'dashboard.png'), fullPage: true });

  // The charts: the console's history fills them, one point per refresh.
  await waitFor(page, 'the queue chart has points', async () =>
    Number(await page.getByTestId('chart-queue').getAttribute('data-points')) >= 3 && await page.locator('#chart-queue canvas').count() > 0);
  await waitFor(page, 'the stream chart shows the one shard', async () => (await chartShards(page)) === 1);
  const chartPoints = Number(await page.getByTestId('chart-queue').getAttribute('data-points'));
  await page.locator('#panel-charts').screenshot({ path: join(screenshots, 'charts.png') });

  // Fault switch: split a shard, see two more shards on the chart and clicks reaching the children, merge back.
  await page.getByTestId('fault-shard-split').click();
  await waitFor(page, 'the split is reported', async () => /split .* in two/.test(await page.getByTestId('action-result').textContent()));
  await waitFor(page, 'the stream chart shows parent and children', async () => (await chartShards(page)) === 3);
  const shardsAfterSplit = await chartShards(page);
  await waitFor(page, 'clicks reach a child shard', async () => {
    const cells = await page.locator('[data-testid^="records-"]').allTextContents();
    return cells.length === 3 && cells.slice(1).some((t) => Number(t.replace(/[^0-9]/g, '')) > 0);
  });
  await page.locator('#panel-charts').screenshot({ path: join(screenshots, 'fault-split.png') });
  await waitFor(page, 'the stream accepts the merge (ACTIVE again)', async () => {
    await page.getByTestId('fault-shard-merge').click();
    await page.waitForTimeout(1000);
    return /merged/.test(await page.getByTestId('action-result').textContent());
  });
  await waitFor(page, 'the stream chart shows the merged shard', async () => (await chartShards(page)) === 4);
  const shardsAfterMerge = await chartShards(page);

  // Every click accounted: stop the load, then the stream holds exactly the clicks the generator had accepted.
  await page.getByTestId('load-toggle').click();
  await waitFor(page, 'the load stops', async () => (await page.getByTestId('load-toggle').getAttribute('data-running')) === 'false');
  let clicksAccepted = 0; let clicksInStream = -1;
  await waitFor(page, 'the stream holds every accepted click', async () => {
    clicksAccepted = await number(page, 'load-clicks-accepted');
    clicksInStream = await number(page, 'stream-seen');
    return clicksAccepted > 0 && clicksAccepted === clicksInStream;
  });

  // One order's path: click a recent order, see its hops; the services that are not running are named.
  await waitFor(page, 'a recent order is listed', async () => (await page.getByTestId('recent-order').count()) > 0);
  await page.getByTestId('recent-order').first().click();
  await waitFor(page, 'the order path shows its hops', async () => (await page.getByTestId('path-hop').count()) >= 2);
  const pathHops = (await page.getByTestId('path-hop').allTextContents()).join(' | ');
  const pathMissing = await page.locator('#path-trace').textContent();
  await page.locator('#panel-path').screenshot({ path: join(screenshots, 'order-path.png') });

  // The cost meter: the stand-ins' real SNS and Kinesis calls, priced per million orders and clicks.
  await waitFor(page, 'the cost meter prices orders and clicks', async () =>
    /^\$/.test(await page.getByTestId('cost-orders').textContent()) && /^\$/.test(await page.getByTestId('cost-clicks').textContent()));
  const costOrders = await page.getByTestId('cost-orders').textContent();
  const costClicks = await page.getByTestId('cost-clicks').textContent();
  const costSavings = await page.getByTestId('cost-savings').textContent();
  await page.locator('#panel-cost').screenshot({ path: join(screenshots, 'cost.png') });

  const duration = await page.evaluate(() => duration('PT31.755S'));
  if (errors.length) throw new Error('errors in the page: ' + errors.join('; '));
  console.log(JSON.stringify({
    ordersBefore, ordersAfter: await number(page, 'load-orders-accepted'),
    recordsBefore, recordsAfter: await number(page, 'stream-seen'),
    visibleBefore, visibleAfter: await number(page, 'queue-shipping-orders-visible'),
    poisonBefore, poisonAfter: await number(page, 'load-poison'),
    shippingPanel: unavailable, processSwitchesDisabled, chartPoints, shardsAfterSplit, shardsAfterMerge, clicksAccepted, clicksInStream,
    pathHops, pathMissing, duration, costOrders, costClicks, costSavings,
  }));
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
