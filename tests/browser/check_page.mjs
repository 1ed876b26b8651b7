// Opens a page the way a person would, in Debian's headless Chromium, and checks what they
// would see. Any console error or page error fails the check. A full-page screenshot is
// saved either way, and the browser is always closed.
//
//   node check_page.mjs run   PAGE.html REPORT.json SCREENSHOT.png   (spmc sim --report)
//   node check_page.mjs sweep PAGE.html SCREENSHOT.png               (spmc sweep --report)
//   node check_page.mjs svg   CHART.svg SCREENSHOT.png [adversary]   (spmc chart output)
//
// REPORT.json is `spmc sim --json` of the same run: the page must show its verdict and one
// row per invariant, in its order.
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
              '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function fail(message) {
  throw new Error(message);
}

function expect(condition, message) {
  if (!condition) {
    fail(message);
  }
}

// The checks of a run's page, inside the page: returns what it found, or throws.
async function checkRunPage(page, report) {
  const verdict = await page.$eval('#verdict', (el) => ({
    verdict: el.dataset.verdict,
    text: el.innerText,
    background: getComputedStyle(el).backgroundColor,
    visible: el.getBoundingClientRect().height > 0,
  }));
  expect(verdict.visible, '#verdict is not visible');
  expect(verdict.verdict === report.verdict,
         `#verdict says ${verdict.verdict}, the run's JSON says ${report.verdict}`);
  // The word in capitals, then the verdict line's reason ("PASS" "every invariant held").
  const [word, ...reason] = report.verdict_text.split(': ');
  expect(verdict.text.startsWith(word) && verdict.text.includes(reason.join(': ')),
         `#verdict text "${verdict.text}" is not the verdict "${report.verdict_text}"`);
  // Green for a pass, red for a failure: the colour is the first thing a person reads.
  const [r, g] = verdict.background.match(/\d+/g).map(Number);
  if (report.verdict === 'pass') {
    expect(g > r, `a passing verdict is drawn in ${verdict.background}, not green`);
  } else if (report.verdict === 'fail') {
    expect(r > g, `a failing verdict is drawn in ${verdict.background}, not red`);
  }

  const rows = await page.$$eval('table#invariants tr[data-invariant]',
                                 (trs) => trs.map((tr) => tr.dataset.invariant));
  const names = report.invariants.map((i) => i.name);
  expect(JSON.stringify(rows) === JSON.stringify(names),
         `invariant rows ${JSON.stringify(rows)} differ from the report's ${JSON.stringify(names)}`);

  const replay = await page.$eval('#replay', (el) => el.textContent.trim());
  expect(/ sim( |$)/.test(replay), `#replay "${replay}" is not an spmc sim command`);
  const hash = await page.$eval('#trace-hash', (el) => el.textContent.trim());
  expect(hash === report.trace_hash, `trace hash ${hash} is not the run's ${report.trace_hash}`);

  // The page charts its own trace: the first failure, or a conversation of a passing run.
  const chart = await page.$eval('#chart', (el) => ({
    svg: el.querySelector('svg') !== null,
    lifelines: el.querySelectorAll('svg .lifeline[data-lifeline]').length,
    arrows: el.querySelectorAll('svg .arrow').length,
    violations: el.querySelectorAll('svg .violation').length,
    text: el.innerText,
  }));
  expect(chart.svg, `#chart holds no sequence chart: "${chart.text}"`);
  expect(chart.lifelines >= 2, `the sequence chart has ${chart.lifelines} lifelines`);
  if (report.verdict === 'pass') {
    expect(chart.arrows > 0, 'the chart of a passing run shows no arrows');
  } else {
    const failed = report.invariants.filter((i) => !i.held).map((i) => i.name);
    expect(chart.violations > 0 || failed.every((n) => chart.text.includes(n)),
           `the chart of a failing run neither draws nor names the violations ${failed}`);
  }
  return { rows: rows.length, chart: `${chart.lifelines} lifelines, ${chart.arrows} arrows, ` +
                                     `${chart.violations} violations` };
}

// Every canvas[data-plot] holds a Chart.js chart with data points, one per plot of the data.
async function checkPlots(page) {
  const plots = await page.$$eval('canvas[data-plot]', (canvases) => canvases.map((c) => {
    const chart = Chart.getChart(c);
    const box = c.getBoundingClientRect();
    return {
      id: c.dataset.plot,
      chart: chart !== undefined,
      points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0,
      title: chart ? chart.options.plugins.title.text : '',
      axes: chart ? [chart.options.scales.x.title.text, chart.options.scales.y.title.text] : [],
      width: box.width,
      height: box.height,
    };
  }));
  const data = JSON.parse(await page.$eval('#report-data', (el) => el.textContent));
  expect(plots.length === data.plots.length,
         `${plots.length} canvases for ${data.plots.length} plots`);
  expect(plots.length > 0, 'the page has no plot');
  for (const p of plots) {
    expect(p.chart, `canvas ${p.id} has no Chart.js chart`);
    expect(p.points > 0, `plot ${p.id} has no data points`);
    expect(p.title !== '' && p.axes.every((a) => a !== ''), `plot ${p.id} lacks a title or an axis label`);
    expect(p.width > 100 && p.height > 100, `plot ${p.id} is drawn ${p.width}x${p.height}`);
  }
  return plots.map((p) => `${p.id}:${p.points}`).join(' ');
}

async function checkSweepPage(page) {
  const data = JSON.parse(await page.$eval('#report-data', (el) => el.textContent));
  const verdict = await page.$eval('#verdict', (el) => el.dataset.verdict);
  expect(verdict === data.verdict, `#verdict ${verdict}, data ${data.verdict}`);
  const rows = await page.$$eval('table#seeds tr[data-seed]', (trs) => trs.length);
  expect(rows === data.seeds, `${rows} seed rows for ${data.seeds} seeds`);
  return { rows };
}

// `want`: what the chart must show besides lifelines and arrows ("adversary": an adversary
// action, as in an attack's chart).
async function checkSvg(page, want) {
  const svg = await page.evaluate(() => {
    const root = document.documentElement;
    return {
      svg: root.tagName.toLowerCase() === 'svg',
      lifelines: document.querySelectorAll('.lifeline[data-lifeline]').length,
      arrows: document.querySelectorAll('.arrow').length,
      adversary: document.querySelectorAll('.adversary').length,
      width: root.getBoundingClientRect().width,
    };
  });
  expect(svg.svg, 'the file is not an SVG document');
  expect(svg.lifelines >= 2, `the chart has ${svg.lifelines} lifelines (.lifeline[data-lifeline])`);
  expect(svg.arrows > 0, 'the chart has no arrows (.arrow)');
  expect(svg.width > 0, 'the chart has no width');
  if (want.includes('adversary')) {
    expect(svg.adversary > 0, 'the chart shows no adversary action (.adversary)');
  }
  return svg;
}

async function main() {
  const [mode, file, ...rest] = process.argv.slice(2);
  if (!['run', 'sweep', 'svg'].includes(mode) || !file) {
    fail('usage: check_page.mjs run PAGE REPORT.json PNG | sweep PAGE PNG | svg FILE PNG');
  }
  const report = mode === 'run' ? JSON.parse(readFileSync(rest[0], 'utf8')) : null;
  const screenshot = resolve(mode === 'run' ? rest[1] : rest[0]);
  mkdirSync(dirname(screenshot), { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'spmc-browser-'));
  const problems = [];
  let browser;
  try {
    // A fresh profile in a temporary folder (the persistent context is playwright's way to
    // give Chromium its --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: ARGS,
      viewport: { width: 1400, height: 900 },
    });
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // Nothing may leave the machine: a report page is self-contained.
    await page.route(/^(?!file:)/, (route) => {
      problems.push(`network request: ${route.request().url()}`);
      return route.abort();
    });
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
    let found;
    try {
      if (mode === 'svg') {
        found = await checkSvg(page, rest.slice(1));
      } else if (mode === 'sweep') {
        found = { ...(await checkSweepPage(page)), plots: await checkPlots(page) };
      } else {
        found = { ...(await checkRunPage(page, report)), plots: await checkPlots(page) };
      }
    } finally {
      if (mode === 'svg') {
        // A bare SVG document has no page to scroll, so a full-page shot never settles: the
        // viewport takes the picture's size instead (capped: the shot is for a person).
        const size = await page.evaluate(() => {
          const r = document.documentElement.getBoundingClientRect();
          return { width: Math.ceil(r.width), height: Math.ceil(r.height) };
        });
        await page.setViewportSize({ width: Math.min(Math.max(size.width, 200), 4000),
                                     height: Math.min(Math.max(size.height, 200), 8000) });
        await page.screenshot({ path: screenshot });
      } else {
        await page.screenshot({ path: screenshot, fullPage: true });
      }
    }
    expect(problems.length === 0, problems.join('\n'));
    console.log(`ok: ${file}: ${JSON.stringify(found)}; screenshot ${screenshot}`);
  } finally {
    if (browser) {
      await browser.close();
    }
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`FAIL: ${e.message}`);
  process.exitCode = 1;
});
