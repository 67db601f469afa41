// The dashboard in a real browser (Debian's chromium, driven by playwright-core).
// Run by tests/browser/test_dashboard_browser.py, which starts a seeded server and passes
// DASHBOARD_TEST as JSON: {base, link, expiredLink, alteredLink, pages: [[path, heading]], screens}.
// Prints one JSON line {checks: [[name, ok, detail]]} and exits 1 if any check failed.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const cfg = JSON.parse(process.env.DASHBOARD_TEST);
const checks = [];
const check = (name, ok, detail = '') => checks.push([name, Boolean(ok), String(detail).slice(0, 300)]);
const COOKIE = '__Host-scrbot-dashboard';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const shot = async (page, name) => {
  if (!cfg.screens) return;
  mkdirSync(cfg.screens, { recursive: true });
  await page.screenshot({ path: join(cfg.screens, `${name}.png`), fullPage: true });
};

try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // Nothing outside this server may be fetched: no CDN, fonts or scripts.
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(cfg.base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const scripts = [];
  page.on('console', (m) => scripts.push(m.text()));

  // Not signed in: refused.
  let response = await page.goto(`${cfg.base}/dashboard`);
  check('no session is refused', response.status() === 401 && (await page.textContent('h1')).includes('Please sign in'),
    response.status());

  // Sign in through the link: a page with one button, which opens the session.
  response = await page.goto(cfg.link);
  check('sign-in link opens a confirm page', response.status() === 200, response.status());
  await shot(page, 'sign-in');
  await page.getByRole('button', { name: 'Open the dashboard' }).click();
  await page.waitForURL(`${cfg.base}/dashboard`);
  check('signed in lands on the overview', (await page.textContent('h1')).trim() === 'Overview');

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === COOKIE);
  check('session cookie is set', session, JSON.stringify(cookies.map((c) => c.name)));
  if (session) {
    check('cookie is HttpOnly', session.httpOnly);
    check('cookie is Secure', session.secure);
    check('cookie is SameSite=Strict', session.sameSite === 'Strict', session.sameSite);
    const hours = (session.expires - Date.now() / 1000) / 3600;
    check('cookie lasts 8 hours', hours > 7.9 && hours <= 8.01, hours.toFixed(3));
    check('cookie path is /', session.path === '/', session.path);
  }
  check('script cannot read the cookie', !(await page.evaluate(() => document.cookie)).includes(COOKIE));

  // Every page renders with the seeded data.
  for (const [path, heading, slug] of cfg.pages) {
    response = await page.goto(`${cfg.base}${path}`);
    const h1 = (await page.textContent('h1')).trim();
    const rows = await page.locator('main table tbody tr').count();
    const charts = await page.locator('main svg[role=img]').count();
    check(`${slug} page renders`, response.status() === 200 && h1 === heading && rows > 0,
      `${response.status()} ${h1} rows=${rows} charts=${charts}`);
    const current = await page.locator('nav a[aria-current=page]').textContent();
    check(`${slug} page is marked current in the navigation`, current.trim().length > 0, current);
    await shot(page, slug);
  }
  response = await page.goto(`${cfg.base}/dashboard`);
  check('overview has a chart', await page.locator('main svg[role=img] title').count() > 0);
  const text = await page.textContent('main');
  check('small counts show "fewer than 5"', text.includes('fewer than 5'));
  check('no Slack user id appears', !/\bU0[A-Z0-9]{6,}\b/.test(text));

  // Filters: a date range and a channel, with JavaScript playing no part.
  await page.fill('#from', cfg.filterFrom);
  await page.selectOption('#channel', cfg.filterChannel);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForLoadState();
  const filtered = new URL(page.url());
  check('filters reach the server', filtered.searchParams.get('from') === cfg.filterFrom
    && filtered.searchParams.get('channel') === cfg.filterChannel, page.url());
  check('filtered channel table has one row', await page.locator('#t-channels ~ .table-wrap tbody tr').count() === 1);
  await page.goto(`${cfg.base}/dashboard?from=not-a-date`);
  check('a bad date gets a clear message', (await page.textContent('[role=alert]')).includes('date like'));

  // CSV downloads, through the links on the page.
  for (const [path, slug] of [['/dashboard', 'overview'], ['/dashboard/themes', 'themes'],
    ['/dashboard/actions', 'actions'], ['/dashboard/quiz', 'quiz'], ['/dashboard/schedules', 'schedules']]) {
    await page.goto(`${cfg.base}${path}`);
    const links = page.locator('a[download]');
    const count = await links.count();
    let ok = count > 0;
    let detail = `${count} links`;
    for (let i = 0; i < count; i++) {
      const [download] = await Promise.all([page.waitForEvent('download'), links.nth(i).click()]);
      const body = readFileSync(await download.path(), 'utf8');
      const header = body.replace(/^\ufeff/, '').split('\r\n')[0];
      if (!download.suggestedFilename().endsWith('.csv') || !header.includes(',')) {
        ok = false;
        detail = `${download.suggestedFilename()}: ${header}`;
      }
    }
    check(`${slug} CSV downloads`, ok, detail);
  }

  // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
  await page.goto(`${cfg.base}/dashboard/themes`);
  await page.keyboard.press('Tab');
  check('first Tab focuses the skip link', (await page.evaluate(() => document.activeElement.textContent)) === 'Skip to main content');
  await page.keyboard.press('Enter');
  check('skip link moves focus to main', await page.evaluate(() => document.activeElement.id) === 'main');

  // A phone: nothing wider than the screen but the scrollable tables.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
  await phone.addCookies([session]);
  const small = await phone.newPage();
  await small.goto(`${cfg.base}/dashboard`);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - 390);
  check('overview fits a phone screen', overflow <= 0, overflow);
  await shot(small, 'overview-phone');
  await phone.close();

  // JavaScript off: the same tables and charts.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  await noScript.addCookies([session]);
  const plain = await noScript.newPage();
  await plain.goto(`${cfg.base}/dashboard/themes`);
  check('tables work with JavaScript off', await plain.locator('main table tbody tr').count() > 0);
  await noScript.close();

  // A form post without its CSRF token is refused; the session survives it.
  response = await page.request.post(`${cfg.base}/dashboard/sign-out`, { form: { csrf: '' } });
  check('sign-out without its CSRF token is refused', response.status() === 403, response.status());
  response = await page.request.post(`${cfg.base}/dashboard/sign-out`, { form: { csrf: 'x'.repeat(64) } });
  check('sign-out with a wrong CSRF token is refused', response.status() === 403, response.status());
  response = await page.goto(`${cfg.base}/dashboard`);
  check('still signed in after the refused posts', response.status() === 200, response.status());

  // The used link, an expired one and an altered one: a plain refusal and nothing else.
  for (const [name, link] of [['reused', cfg.link], ['expired', cfg.expiredLink], ['altered', cfg.alteredLink]]) {
    const other = await browser.newContext();
    const p = await other.newPage();
    response = await p.goto(link);
    const h1 = (await p.textContent('h1')).trim();
    const buttons = await p.locator('button').count();
    check(`${name} link is refused`, response.status() >= 400 && h1 === 'This sign-in link cannot be used' && buttons === 0,
      `${response.status()} ${h1}`);
    if (name === 'reused') await shot(p, 'link-refused');
    // Posting the token straight to the sign-in form is refused too.
    const token = new URL(link).searchParams.get('token') || '';
    response = await p.request.post(`${cfg.base}/dashboard/sign-in`, { form: { token } });
    check(`${name} link cannot sign in by posting`, response.status() === 410, response.status());
    check(`${name} link set no cookie`, (await other.cookies()).length === 0);
    await other.close();
  }

  // Sign out through the button (with its token): the session ends on the server.
  await page.goto(`${cfg.base}/dashboard`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForLoadState();
  check('sign out works', (await page.textContent('h1')).trim() === 'You have signed out');
  check('sign out clears the cookie', !(await context.cookies()).some((c) => c.name === COOKIE));
  const stale = await browser.newContext();
  await stale.addCookies([session]);
  response = await (await stale.newPage()).goto(`${cfg.base}/dashboard`);
  check('the old session id no longer works', response.status() === 401, response.status());
  await stale.close();

  check('nothing was fetched from outside this server', outside.length === 0, outside.join(' '));
  await context.close();
} catch (error) {
  check('browser run finished', false, error.stack || error);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ checks }));
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
