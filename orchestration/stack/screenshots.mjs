// Chromium (headless, Debian's /usr/bin/chromium driven by playwright-core) against the stack's Airflow UI:
//   1. the Trigger form of vlltr_pipeline with its defaults: the Trigger button must be enabled (nothing is flagged
//      as missing or invalid) -> trigger-form.png
//   2. the DAG's grid after the e2e run: no failed task, at least one successful one -> grid.png
// node screenshots.mjs <airflow url> <output folder>; AIRFLOW_ADMIN_PASSWORD from the stack's credentials.
// Exits 1 on a failed check (the screenshots are written first, so that the failure can be seen).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
  const submit = dialog.getByRole('button', { name: /^Trigger$/ }).last();
  // open the sections with the fields the issue was about (one section is open at a time): the optional,
  // empty registry and the methods multi-select
  for (const [section, field, shot] of [['Images', 'Image registry', 'trigger-form-images.png'],
                                        ['Re-calibration', 'Re-calibration methods', 'trigger-form.png']]) {
    await dialog.getByText(section, { exact: true }).first().click();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(out, shot), fullPage: true });
    // a required field's label ends in " *": match the beginning
    check(await dialog.getByText(new RegExp(`^${field}`)).first().isVisible(), `the form shows the ${field} field`);
    const invalid = await dialog.locator('[aria-invalid="true"], [data-invalid]').count();
    check(invalid === 0, `with ${section} open, no field is flagged invalid (${invalid})`);
    check(await submit.isEnabled(), `with ${section} open, the Trigger button is enabled with the defaults`);
  }
  await page.keyboard.press('Escape');

  // 2. the grid of the finished e2e run (the DAG's page)
  await page.goto(`${url}/dags/vlltr_pipeline`);
  await page.getByText('evaluation', { exact: true }).first().waitFor();
  await page.waitForTimeout(3000);
  await page.screenshot({ path: join(out, 'grid.png'), fullPage: true });
  const html = await page.content();
  writeFileSync(join(out, 'grid.html'), html);
  const states = await page.locator('[data-testid="state-badge"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  check(states.length > 0 && states.every((s) => s === 'success'), `the DAG's runs are all successful (${states})`);
  const failedTasks = await page.getByText('Failed Tasks', { exact: true }).locator('xpath=..').locator('.chakra-badge').first().textContent();
  check(failedTasks.trim() === '0', `the grid counts no failed task (${failedTasks.trim()})`);
  check(await page.getByText('evaluation', { exact: true }).first().isVisible(), 'the grid lists the evaluation task');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`screenshots in ${out}`);
process.exit(failures.length ? 1 : 0);
