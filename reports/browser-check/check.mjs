// Opens the generated Allure report in Debian's Chromium (headless, offline) and checks, as a
// person would, that a known test case is listed and that its PNG evidence is displayed, that the
// per-model overview page comes first with its verdicts, and that a drift chart (a density histogram
// naming its feature and p-value) renders. CHECK_SUITE, CHECK_CASE and CHECK_DRIFT_CASE override the
// names (e.g. for the demo report).
// Usage: node check.mjs [path/to/index.html]   (default: ../allure-report/index.html)
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const report = resolve(process.argv[2] ?? new URL('../allure-report/index.html', import.meta.url).pathname);
const suite = process.env.CHECK_SUITE ?? 'dev.gauntlet.testkits.FashionCnnGateTests';
const testCase = process.env.CHECK_CASE ?? 'clean_accuracy_meets_the_release_threshold';
const driftCase = process.env.CHECK_DRIFT_CASE ?? 'production_like_data_has_not_drifted';
const overviewOf = process.env.CHECK_OVERVIEW ?? 'overview: DjlClassifier\\[fashion-cnn,';
const results = [];

async function check(name, body) {
  try {
    await body();
    results.push([name, true]);
    console.log(`PASS ${name}`);
  } catch (error) {
    results.push([name, false]);
    console.log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
  }
}

if (!existsSync(report)) {
  console.log(`FAIL report exists: ${report} is missing; run mvn -B allure:report first`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15000);
  await page.goto(`file://${report}#suites`);

  await check(`suite ${suite} is listed`, async () => {
    await page.getByText(suite, { exact: true }).click();
  });
  await check(`test case ${testCase} opens with its accuracy step`, async () => {
    await page.getByText(testCase).filter({ visible: true }).first().click();
    await page.getByText('accuracy', { exact: true }).filter({ visible: true }).first().click();
    await page.getByText('fashion-mnist/test').filter({ visible: true }).first().waitFor();
  });
  await check('its PNG attachment is displayed', async () => {
    await page.getByText('accuracy per class').filter({ visible: true }).first().click();
    const image = page.locator('img[src^="data:image/png"]').first();
    await image.waitFor();
    const width = await image.evaluate(img => img.complete ? img.naturalWidth : 0);
    if (width < 100) {
      throw new Error(`the attachment image did not render (natural width ${width})`);
    }
  });
  await check('the overview suite is listed first and its page shows every verdict and the worst classes', async () => {
    await page.goto(`file://${report}#suites`);
    const overview = page.getByText('0 · Overview', { exact: true }).first();
    const other = page.getByText(suite, { exact: true }).first();
    const [top, below] = [await overview.boundingBox(), await other.boundingBox()];
    if (!top || !below || top.y >= below.y) {
      throw new Error('the overview suite is not above ' + suite);
    }
    await overview.click();
    await page.getByText(new RegExp(overviewOf)).filter({ visible: true }).first().click();
    await page.getByText('verdict', { exact: true }).filter({ visible: true }).first().waitFor();
    await page.getByText('worst classes').filter({ visible: true }).first().waitFor();
    await page.screenshot({ path: resolve(report, '..', 'browser-check-overview.png') });
  });
  await check(`${driftCase} shows a density histogram naming its feature and p-value`, async () => {
    await page.goto(`file://${report}#suites`);
    if (await page.getByText(driftCase).filter({ visible: true }).count() === 0) {
      await page.getByText(suite, { exact: true }).click(); // expand the suite unless it still is
    }
    await page.getByText(driftCase).filter({ visible: true }).first().click();
    await page.getByText(/(ks|mmd|chi2|mixed)\(p_val/).filter({ visible: true }).first().click();
    await page.getByText(/feature .*: reference vs current \(p = /).filter({ visible: true }).first().click();
    const image = page.locator('img[src^="data:image/png"]').first();
    await image.waitFor();
    const width = await image.evaluate(img => img.complete ? img.naturalWidth : 0);
    if (width < 100) {
      throw new Error(`the drift chart did not render (natural width ${width})`);
    }
    await page.screenshot({ path: resolve(report, '..', 'browser-check-drift.png') });
  });
  await page.screenshot({ path: resolve(report, '..', 'browser-check.png') });
} finally {
  await browser.close();
}

const passed = results.filter(([, ok]) => ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
