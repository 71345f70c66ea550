// Drives `archiver serve` in Debian's headless Chromium (puppeteer-core) and reports, as one
// JSON object on stdout, what each page shows: the test (tests/integration/test_serve_browser.cpp)
// judges it. Usage: node browse.mjs ORIGIN ARTICLE_ID HOSTILE_ID EDITION_SITE EDITION_DATE
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [origin, articleId, hostileId, editionSite, editionDate] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
  userDataDir: fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "serve-chromium-")),
});
const report = { dialogs: [], policy_violations: [], page_errors: [] };
try {
  const tab = await browser.newPage();
  tab.on("dialog", async (dialog) => {
    report.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  tab.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) {
      report.policy_violations.push(message.text());
    }
  });
  tab.on("pageerror", (error) => report.page_errors.push(String(error)));
  const open = async (address) => {
    const response = await tab.goto(origin + address, { waitUntil: "networkidle0" });
    return response.status();
  };

  report.home = { status: await open("/") };
  report.home.sites = await tab.$$eval("table.sites tbody tr", (rows) => rows.length);
  report.home.newest = await tab.$$eval("ul.articles li", (items) => items.length);

  report.edition = { status: await open(`/editions/${editionSite}/${editionDate}`) };
  report.edition.sheets = await tab.$$eval("li.sheet h2", (heads) => heads.map((h) => h.textContent));
  report.edition.scans = await tab.$$eval("img.scan", (images) =>
    images.map((image) => ({ loaded: image.complete, width: image.naturalWidth })));
  report.edition.headlines = await tab.$$eval("ul.headlines li a", (links) => links.length);
  report.edition.pdfs = await tab.$$eval("p.files a", (links) =>
    links.filter((link) => link.textContent === "PDF").length);

  report.article = { status: await open(`/articles/${articleId}`) };
  report.article.title = await tab.$eval("article h1", (h) => h.textContent);
  report.article.paragraphs = await tab.$$eval("article .body p", (ps) => ps.map((p) => p.textContent));
  report.article.versions = await tab.$$eval("table.versions tbody tr", (rows) => rows.length);
  report.article.styled = await tab.$eval("header.top", (h) => getComputedStyle(h).display);

  report.diff = { status: await open(`/articles/${articleId}/diff?from=1&to=2`) };
  report.diff.inserted = await tab.$$eval("ins", (marks) => marks.map((m) => m.textContent));
  report.diff.deleted = await tab.$$eval("del", (marks) => marks.map((m) => m.textContent));

  // Hostile text: nothing of it runs, all of it reads as text.
  report.hostile = { status: await open(`/articles/${hostileId}`) };
  report.hostile.title = await tab.$eval("article h1", (h) => h.textContent);
  report.hostile.xss = await tab.evaluate(() => window.__xss ?? null);
  report.hostile.scripts = await tab.$$eval("script", (scripts) => scripts.map((s) => s.src));
  report.hostile.injected = await tab.$$eval("img[src='x'], iframe", (nodes) => nodes.length);

  // The page as fetched: in a sandbox, its script never runs and nothing comes from its origin.
  // (What the archived page's own policy blocks is reported apart from the interface's pages.)
  const ownViolations = report.policy_violations;
  report.policy_violations = [];
  report.archived = { status: await open(`/articles/${hostileId}/archived`) };
  report.archived.blocked = report.policy_violations;
  report.policy_violations = ownViolations;
  // Read through the DevTools protocol's DOM: page scripts are off in the sandbox.
  const devtools = await tab.target().createCDPSession();
  const { root } = await devtools.send("DOM.getDocument", { depth: -1 });
  const { outerHTML } = await devtools.send("DOM.getOuterHTML", { nodeId: root.nodeId });
  const { nodeId: ranNode } = await devtools.send("DOM.querySelector",
    { nodeId: root.nodeId, selector: "#origin-script-ran" });
  report.archived.ran = ranNode !== 0;
  report.archived.html = outerHTML.slice(0, 20000);

  // Search as you type: the results follow the words typed.
  report.search = { status: await open("/search") };
  await tab.type("form[data-live] input[name=q]", "入会手续");
  await tab.waitForSelector("#results mark", { timeout: 10000 });
  report.search.marks = await tab.$$eval("#results mark", (marks) => marks.map((m) => m.textContent));
  report.search.address = await tab.evaluate(() => location.search);

  // Feeds parse as Atom; the API as JSON.
  report.feed = await tab.evaluate(async () => {
    const text = await (await fetch("/feeds/all.atom")).text();
    const doc = new DOMParser().parseFromString(text, "application/xml");
    const entries = [...doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry")];
    return {
      error: doc.getElementsByTagName("parsererror").length > 0,
      root: doc.documentElement.namespaceURI + " " + doc.documentElement.localName,
      entries: entries.length,
      complete: entries.every((entry) => ["id", "title", "updated", "content"].every(
        (name) => entry.getElementsByTagNameNS("http://www.w3.org/2005/Atom", name).length === 1)),
    };
  });
  report.api = await tab.evaluate(async () => (await (await fetch("/api/articles")).json()).length);
  report.ok = true;
} catch (error) {
  report.ok = false;
  report.error = String(error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
