// Chromium (headless, Debian's /usr/bin/chromium driven by playwright-core) against the stack's Airflow UI:
//   1. the Trigger form of vlltr_pipeline with its defaults: the Trigger button must be enabled (nothing is flagged
//      as missing or invalid) -> trigger-form.png
//   2. the DAG's grid after the e2e run: no failed task, at least one successful one -> grid.png
// node screenshots.mjs <airflow url> <output folder>; AIRFLOW_ADMIN_PASSWORD from the stack's credentials.
// Exits 1 on a failed check (the screenshots are written first, so that the failure can be seen).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, out] = process.argv.slice(2);
if (!url || !out) { console.error('usage: node screenshots.mjs <airflow url> <output folder>'); process.exit(2); }
mkdirSync(out, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'vlltr-chromium-'));   // a fresh profile every time
const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok' : 'FAILED'}: ${what}`); if (!ok) failures.push(what); };

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  timeout: 60000,
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(60000);
  // log in through the simple auth manager's form, as a user does
  await page.goto(`${url}/auth/login?next=${encodeURIComponent('/dags/vlltr_pipeline')}`);
  await page.locator('input[name="username"]').fill('admin');
  await page.locator('input[name="password"]').fill(process.env.AIRFLOW_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.toString().includes('/login'));
  await page.goto(`${url}/dags/vlltr_pipeline`);
  await page.getByText('vlltr_pipeline').first().waitFor();

  // 1. the trigger form with its defaults
  await page.getByRole('button', { name: /^Trigger/ }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // open the sections with the fields the issue was about: the optional registry and the methods multi-select
  for (const section of ['Images', 'Re-calibration']) {
    await dialog.getByText(section, { exact: true }).first().click();
  }
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'trigger-form.png'), fullPage: true });
  const submit = dialog.getByRole('button', { name: /^Trigger$/ }).last();
  check(await submit.isEnabled(), 'the trigger form\'s Trigger button is enabled with the defaults');
  check(await dialog.getByText('Image registry', { exact: true }).first().isVisible(),
        'the form shows the (empty, optional) Image registry field');
  check(await dialog.getByText('Re-calibration methods', { exact: true }).first().isVisible(),
        'the form shows the Re-calibration methods field');
  const invalid = await dialog.locator('[aria-invalid="true"], [data-invalid]').count();
  check(invalid === 0, `no field of the form is flagged invalid (${invalid})`);
  await page.keyboard.press('Escape');

  // 2. the grid of the finished e2e run
  await page.goto(`${url}/dags/vlltr_pipeline/grid`);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: join(out, 'grid.png'), fullPage: true });
  const html = await page.content();
  check(/success/i.test(html), 'the grid shows successful tasks');
  check(!/"?state"?[=:]\s*"?failed/i.test(html) && !/aria-label="[^"]*failed/i.test(html), 'the grid shows no failed task');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`screenshots in ${out}`);
process.exit(failures.length ? 1 : 0);
