// The checklists in a real browser, in Thai and Karen: ticking changes the advice at once,
// the form without JavaScript gives the same advice, the pages about trouble read the same
// without JavaScript, and no content page in any language has a serious accessibility
// problem.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { startServer, launchBrowser, watchErrors } from "./server.mjs";

const LANGUAGES = ["en", "vi", "th", "ksw"];
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const visible = (page, selector) => page.locator(selector).first().isVisible();

/** The code of the one verdict shown in the advice. */
async function shownVerdict(page) {
  const shown = [];
  for (const part of await page.locator("[data-verdict]").all()) {
    if (await part.isVisible()) shown.push(await part.getAttribute("data-verdict"));
  }
  assert.equal(shown.length, 1, `one verdict should show, not ${shown}`);
  return shown[0];
}

async function itemIds(page, severity) {
  return page.$$eval(`input[name=tick][data-severity=${severity}]`, (boxes) => boxes.map((b) => b.value));
}

for (const lang of ["th", "ksw"]) {
  test(`ticking forced-labour signs in ${lang} changes the advice at once`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/${lang}/checklists/forced-labour`);
    await page.waitForSelector("html[data-islands=ready]");
    assert.equal(await visible(page, "#advice"), false, "no advice before any answer");

    const [warning] = await itemIds(page, "warning");
    const [danger] = await itemIds(page, "danger");
    await page.check(`#tick-${warning}`);
    assert.equal(await visible(page, "#advice"), true);
    assert.equal(await shownVerdict(page), "caution");
    assert.equal(await visible(page, `[data-explains="${warning}"]`), true);
    assert.equal(await visible(page, `[data-explains="${danger}"]`), false);

    await page.check(`#tick-${danger}`);
    assert.equal(await shownVerdict(page), "danger");
    assert.equal(await visible(page, `[data-explains="${danger}"]`), true);

    // The hotline follows the chosen country; Thai and Karen readers start with Thailand.
    assert.equal(await page.inputValue("select[name=country]"), "th");
    assert.equal(await visible(page, '[data-country="th"] a[href^="tel:"]'), true);
    await page.selectOption("select[name=country]", "vn");
    assert.equal(await visible(page, '[data-country="vn"] a[href^="tel:"]'), true);
    assert.equal(await visible(page, '[data-country="th"]'), false);

    await page.uncheck(`#tick-${danger}`);
    await page.uncheck(`#tick-${warning}`);
    assert.equal(await shownVerdict(page), "clear");
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("without JavaScript the checklist form gives the same advice as the island", async () => {
  const answers = async (javaScriptEnabled) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${server.url}/ksw/checklists/job-offer`);
    if (javaScriptEnabled) await page.waitForSelector("html[data-islands=ready]");
    const [warning] = await itemIds(page, "warning");
    await page.check(`#tick-${warning}`);
    await page.selectOption("select[name=country]", "nz");
    if (!javaScriptEnabled) {
      await Promise.all([page.waitForNavigation(), page.click("form.checklist button[type=submit]")]);
      assert.equal(await page.isChecked(`#tick-${warning}`), true, "the answer is kept");
    }
    const result = {
      verdict: await shownVerdict(page),
      hotlines: await page.$$eval('[data-country]:not([hidden]) a[href^="tel:"]', (links) => links.map((a) => a.href)),
    };
    await context.close();
    return result;
  };
  const withScript = await answers(true);
  const withoutScript = await answers(false);
  assert.equal(withScript.verdict, "caution");
  assert.ok(withScript.hotlines.length > 0);
  assert.deepEqual(withoutScript, withScript);
});

test("no content page in any language has a serious or critical accessibility violation", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pages = [];
  for (const lang of LANGUAGES) {
    pages.push(`/${lang}/`, `/${lang}/contacts`, `/${lang}/help`, `/${lang}/offline`);
    for (const list of ["checklists", "guides"]) {
      await page.goto(`${server.url}/${lang}/${list}`);
      pages.push(`/${lang}/${list}`);
      const links = await page.$$eval(`main a[href^="/${lang}/${list}/"]`, (as) => as.map((a) => a.getAttribute("href")));
      assert.ok(links.length > 0, `/${lang}/${list} links to nothing`);
      pages.push(...links);
    }
  }
  const problems = [];
  for (const path of pages) {
    await page.goto(`${server.url}${path}`);
    const results = await new AxeBuilder({ page }).analyze();
    for (const violation of results.violations) {
      if (["serious", "critical"].includes(violation.impact)) {
        problems.push(`${path}: ${violation.id} (${violation.nodes.length}): ${violation.help}`);
      }
    }
  }
  assert.deepEqual(problems, [], `checked ${pages.length} pages`);
  await context.close();
});

test("the scam-compound checklist and the pages about trouble work without JavaScript in every language", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const lang of LANGUAGES) {
    for (const slug of ["held-in-a-scam-compound", "worried-about-someone", "for-outreach-workers"]) {
      const response = await page.goto(`${server.url}/${lang}/guides/${slug}`);
      assert.ok(response.ok(), `${lang} ${slug}`);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      assert.ok((await page.locator("main h2").count()) >= 2, `${lang} ${slug}: its sections`);
      assert.ok(await page.locator(".sources li").first().isVisible(), `${lang} ${slug}: its sources`);
    }
    // The checklist's form posts and shows the advice with the number for the chosen
    // country, the one that works from abroad too.
    await page.goto(`${server.url}/${lang}/checklists/scam-compound`);
    const danger = await itemIds(page, "danger");
    assert.ok(danger.length > 0, `${lang}: danger signs`);
    await page.check(`#tick-${danger[0]}`);
    await page.selectOption("#country", "th");
    await Promise.all([page.waitForNavigation(), page.click("form.checklist [type=submit]")]);
    assert.equal(await visible(page, "[data-verdict=danger]"), true, `${lang}: danger advice`);
    assert.ok(await visible(page, '[data-country=th] a[href="tel:+66991301300"]'), `${lang}: Thailand from abroad`);
  }
  await context.close();
});
