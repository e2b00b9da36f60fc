// The Payment Simulator page in headless Debian Chromium (playwright-core), with payments
// pushed through libovo by ./driver (tests/browser/driver.c). Run by tests/browser.sh, which
// starts the sandbox and sets OVO_SANDBOX_URL, OVO_DRIVER and OVO_ARTIFACTS.
//
// Manual wallets (any number outside the scripted table) are used so that nothing answers
// a push before the test acts. Every wait is on a condition (playwright auto-waiting,
// waitForFunction, the driver's output line), never on a fixed sleep.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const BASE = mustEnv("OVO_SANDBOX_URL");
const DRIVER = mustEnv("OVO_DRIVER");
const ARTIFACTS = mustEnv("OVO_ARTIFACTS");
const SANDBOX_BIN = mustEnv("OVO_SANDBOX_BIN");
const CLIENT_ID = "MCH-0001-10791114622547";
const OPENING_CASH = 10_000_000;
const OPENING_POINTS = 1_000_000;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

function mustEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run tests/browser.sh`);
  return v;
}

let browser;
const children = new Set();

before(async () => {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
});

after(async () => {
  for (const child of children) child.kill("SIGTERM");
  await browser?.close();
});

/** Starts another sandbox with `args`; resolves with its base URL (its first stdout line). */
function startSandbox(args) {
  const child = spawn(SANDBOX_BIN, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "ignore"] });
  children.add(child);
  child.on("close", () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    createInterface({ input: child.stdout }).once("line", (url) => resolve({ url, stop: () => child.kill("SIGTERM") }));
  });
}

/** Starts `driver push` in the background; resolves with its one JSON line. */
function push(invoice, amount, ovoId, timeoutMs, base = BASE) {
  const args = ["push", base, invoice, String(amount), ovoId];
  if (timeoutMs) args.push(String(timeoutMs));
  return drive(args);
}

/** `driver status`: the invoice's status checked through libovo (ovo_check_status). */
function statusThroughLibovo(invoice, base = BASE) {
  return drive(["status", base, invoice]);
}

/** Runs the driver with `args`; resolves with its one JSON line. */
function drive(args) {
  const child = spawn(DRIVER, args, { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  const done = new Promise((resolve, reject) => {
    let line = null;
    createInterface({ input: child.stdout }).once("line", (l) => { line = l; });
    child.on("error", reject);
    child.on("close", (code) => {
      children.delete(child);
      if (line === null) reject(new Error(`driver exited ${code} without a result line`));
      else resolve(JSON.parse(line));
    });
  });
  done.catch(() => {}); // a test that failed early never awaits it; `after` kills the child
  return done;
}

/** Opens the page (through `/`) and records console errors and uncaught exceptions in
 *  `errors`. Chromium also logs every 4xx answer to a fetch as a console error ("Failed to
 *  load resource"); the page asks for some on purpose (an Inquiry for a finished invoice
 *  is a 404), so those go to `http4xx` as "STATUS PATH" for the tests to assert exactly. */
async function openPage(viewport = { width: 1280, height: 900 }, base = BASE) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = [];
  const http4xx = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const status = /^Failed to load resource: the server responded with a status of (4\d\d)/.exec(m.text());
    if (status) http4xx.push(`${status[1]} ${new URL(m.location().url).pathname}`);
    else errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const resp = await page.goto(base + "/");
  assert.equal(resp.status(), 200);
  assert.ok(page.url().endsWith("/simulator/ovo"), page.url());
  await page.locator("#connection.ok").waitFor();
  return {
    page,

    close: async () => {
      assert.deepEqual(errors, [], "console errors");
      await context.close();
      return http4xx;
    },
  };
}

const pendingRow = (page, invoice) => page.locator(`#pending-table tr[data-invoice="${invoice}"]`);
const paymentRow = (page, invoice) => page.locator(`#payments-table tr[data-invoice="${invoice}"]`);

async function walletValue(page, ovoId, field, expected) {
  const cell = page.locator(`#wallets-table tr[data-ovo-id="${ovoId}"] td[data-field="${field}"]`);
  await page.waitForFunction(
    ([sel, want]) => document.querySelector(sel)?.dataset.value === String(want),
    [`#wallets-table tr[data-ovo-id="${ovoId}"] td[data-field="${field}"]`, expected],
  );
  return cell.textContent();
}

/** DOKU's Check Status API on the sandbox, signed like DOKU's GETs (the test knows the
 *  sandbox's default secret; the page never does). */
async function checkStatus(invoice) {
  const path = "/orders/v1/status/" + encodeURIComponent(invoice);
  const rid = "browser-" + invoice;
  const ts = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const component = `Client-Id:${CLIENT_ID}\nRequest-Id:${rid}\nRequest-Timestamp:${ts}\nRequest-Target:${path}`;
  const secret = process.env.OVO_SECRET_KEY || "SK-9sCrJ1kdYUJAYlsJKlqz";
  const signature = "HMACSHA256=" + createHmac("sha256", secret).update(component).digest("base64");
  const resp = await fetch(BASE + path, {
    headers: { "Client-Id": CLIENT_ID, "Request-Id": rid, "Request-Timestamp": ts, Signature: signature },
  });
  return { status: resp.status, body: await resp.json() };
}

test("1. pay with OVO Points: the library gets PAID and the balances move", { timeout: 90_000 }, async () => {
  const { page, close } = await openPage();
  const invoice = "INV-BR-POINTS-1";
  const wallet = "081234567890";
  const amount = 25_000;
  const result = push(invoice, amount, wallet);

  // The pending list shows it with a live countdown (it ticks without a reload).
  const row = pendingRow(page, invoice);
  await row.waitFor();
  const countdown = row.locator("[data-countdown]");
  await page.waitForFunction((sel) => document.querySelector(sel)?.dataset.seconds !== undefined,
    `#pending-table tr[data-invoice="${invoice}"] [data-countdown]`);
  const first = Number(await countdown.getAttribute("data-seconds"));
  assert.ok(first > 0 && first <= 70, `countdown starts within the 70 s window: ${first}`);
  assert.match(await countdown.textContent(), /^\d+ s$/);
  await page.waitForFunction(([sel, start]) => Number(document.querySelector(sel).dataset.seconds) < start,
    [`#pending-table tr[data-invoice="${invoice}"] [data-countdown]`, first]);

  // The spec's flow: phone number and invoice, Inquiry, OVO Points, Pay Now.
  await page.getByLabel("OVO phone number").fill(wallet);
  await page.getByLabel("Invoice number", { exact: true }).fill(invoice);
  await page.getByRole("button", { name: "Inquiry" }).click();
  await page.locator("#details").waitFor();
  assert.equal(await page.locator("#d-amount").textContent(), "Rp 25.000");
  assert.equal(await page.locator("#d-points").textContent(), "1.000.000");
  await page.getByLabel("OVO Points").check();
  await page.getByRole("button", { name: "Pay Now" }).click();
  await page.locator("#message.ok").filter({ hasText: "Paid" }).waitFor();

  const r = await result;
  assert.equal(r.result, "OK", JSON.stringify(r));
  assert.equal(r.outcome, "PAID");
  assert.equal(r.status, "SUCCESS");
  assert.equal(r.response_code, "00");
  assert.equal(r.ovo_points_used, amount);
  assert.equal(r.cash_used, 0);
  assert.equal(r.ovo_points_balance, OPENING_POINTS - amount);

  // The page's balances moved, and the payment is listed with DOKU's answer.
  assert.equal(await walletValue(page, wallet, "points", OPENING_POINTS - amount), "975.000");
  assert.equal(await walletValue(page, wallet, "cash", OPENING_CASH), "10.000.000");
  const paid = paymentRow(page, invoice);
  await paid.locator(".badge.success").waitFor();
  assert.equal(await paid.getAttribute("data-code"), "00");
  await pendingRow(page, invoice).waitFor({ state: "detached" });
  assert.deepEqual(await close(), [], "no 4xx");
});

test("2. decline (keyboard only): the library gets NOT_PAID with code 17", { timeout: 90_000 }, async () => {
  const { page, close } = await openPage();
  const invoice = "INV-BR-DECLINE-1";
  const wallet = "081234567891";
  const result = push(invoice, 15_000, wallet);
  await pendingRow(page, invoice).waitFor();

  await page.locator("#phone").focus();
  await page.keyboard.type(wallet);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "invoice");
  await page.keyboard.type(invoice);
  await page.keyboard.press("Enter"); // submits the Inquiry form
  await page.locator("#details").waitFor();
  for (let i = 0; i < 12; i++) {
    if ((await page.evaluate(() => document.activeElement.id)) === "decline-button") break;
    await page.keyboard.press("Tab");
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), "decline-button", "Decline is keyboard reachable");
  await page.keyboard.press("Enter");
  await page.locator("#message").filter({ hasText: "Declined" }).waitFor();

  const r = await result;
  assert.equal(r.result, "OK", JSON.stringify(r));
  assert.equal(r.outcome, "NOT_PAID");
  assert.equal(r.status, "FAILED");
  assert.equal(r.response_code, "17");
  const row = paymentRow(page, invoice);
  await row.locator(".badge.failed").waitFor();
  assert.equal(await row.getAttribute("data-code"), "17");

  // Acting again is refused with a clear message (the Inquiry's 404 is the only 4xx).
  await page.getByRole("button", { name: "Inquiry" }).click();
  await page.locator("#message.error").filter({ hasText: "Already declined" }).waitFor();
  assert.deepEqual(await close(), ["404 /simulator/inquiry"]);
});

test("3. late payment: the client gave up (UNKNOWN), the page still pays, status says SUCCESS", { timeout: 90_000 }, async () => {
  const { page, close } = await openPage({ width: 390, height: 844 });
  const invoice = "INV-BR-LATE-1";
  const wallet = "081234567892";
  const gaveUp = await push(invoice, 40_000, wallet, 1_500);
  assert.equal(gaveUp.result, "OUTCOME_UNKNOWN", JSON.stringify(gaveUp));
  assert.equal(gaveUp.outcome, "UNKNOWN", "a push without an answer is never NOT_PAID");

  const row = pendingRow(page, invoice);
  await page.locator(`#pending-table tr[data-invoice="${invoice}"][data-client="gone"]`).waitFor();
  await row.getByRole("button", { name: `Select invoice ${invoice}` }).click();
  await page.locator("#d-client").filter({ hasText: "gone" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "pay-button");
  await page.getByRole("button", { name: "Pay Now" }).click(); // OVO Cash is the default
  await page.locator("#message.ok").filter({ hasText: "Paid" }).waitFor();
  await walletValue(page, wallet, "cash", OPENING_CASH - 40_000);
  await paymentRow(page, invoice).filter({ hasText: "client had gone" }).waitFor();

  // The page's status lookup and the sandbox's own Check Status API both say SUCCESS.
  await page.getByLabel("Invoice number to check").fill(invoice);
  await page.getByRole("button", { name: "Check status" }).click();
  await page.locator("#status-message").filter({ hasText: "SUCCESS 00" }).waitFor();
  const st = await checkStatus(invoice);
  assert.equal(st.status, 200, JSON.stringify(st.body));
  assert.equal(st.body.transaction.status, "SUCCESS");
  assert.equal(st.body.transaction.original_request_id, gaveUp.request_id);
  assert.equal(st.body.order.amount, "40000");
  assert.equal(st.body.ovo_payment.cash_used, 40_000);

  // And the library's own status check turns the cashier's UNKNOWN into PAID.
  const settled = await statusThroughLibovo(invoice);
  assert.equal(settled.result, "OK", JSON.stringify(settled));
  assert.equal(settled.outcome, "PAID", JSON.stringify(settled));
  assert.equal(settled.transaction_status, "SUCCESS");
  assert.equal(settled.original_request_id, gaveUp.request_id);
  assert.equal(settled.check_amount, 40_000);
  assert.deepEqual(await close(), [], "no 4xx");
});

test("4. screenshots (phone and desktop) and no WCAG 2.1 A/AA violations", { timeout: 90_000 }, async () => {
  const invoice = "INV-BR-A11Y-1";
  const wallet = "081234567893";
  const result = push(invoice, 5_000, wallet);
  for (const [name, viewport] of [["phone-390x844", { width: 390, height: 844 }], ["desktop-1280x900", { width: 1280, height: 900 }]]) {
    const { page, close } = await openPage(viewport);
    await pendingRow(page, invoice).waitFor();
    await pendingRow(page, invoice).getByRole("button").click(); // details panel open too
    await page.locator("#details").waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/simulator-${name}.png` });
    await page.screenshot({ path: `${ARTIFACTS}/simulator-${name}-full.png`, fullPage: true });
    // No horizontal page scroll on a phone: only the tables scroll inside their regions.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);

    await page.evaluate(AXE_SOURCE);
    const report = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    }));
    const summary = report.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    assert.deepEqual(summary, [], `${name}: axe violations`);
    assert.ok(report.passes.some((p) => p.id === "label"), "axe checked the form labels");

    // Every control has an accessible name (axe's rules, checked directly as well).
    const unnamed = await page.evaluate(() => [...document.querySelectorAll("input, button, select, textarea")]
      .filter((c) => !(c.labels?.length || c.getAttribute("aria-label") || c.textContent.trim()))
      .map((c) => c.outerHTML));
    assert.deepEqual(unnamed, []);
    assert.deepEqual(await close(), [], `${name}: no 4xx`);
  }
  const { page, close } = await openPage();
  await pendingRow(page, invoice).getByRole("button").click();
  await page.getByRole("button", { name: "Decline" }).click();
  assert.equal((await result).response_code, "17");
  await close();
});

test("5. clear messages: no such invoice, already paid, insufficient balance, expired", { timeout: 90_000 }, async () => {
  const { page, close } = await openPage();
  const inquire = async (phone, invoice) => {
    await page.getByLabel("OVO phone number").fill(phone);
    await page.getByLabel("Invoice number", { exact: true }).fill(invoice);
    await page.getByRole("button", { name: "Inquiry" }).click();
  };
  await inquire("081234567899", "INV-BR-NEVER-PUSHED");
  await page.locator("#message.error").filter({ hasText: "No such invoice" }).waitFor();
  await inquire("081234567890", "INV-BR-POINTS-1"); // paid in test 1
  await page.locator("#message.error").filter({ hasText: "Already paid" }).waitFor();
  await inquire("0812", "INV-BR-POINTS-1"); // a bad phone number is caught before any call
  await page.locator("#message.error").filter({ hasText: "9 to 15 digits" }).waitFor();

  // More than the OVO Points balance: FAILED 65 for the library, a clear message here.
  const invoice = "INV-BR-SHORT-1";
  const result = push(invoice, OPENING_POINTS + 1, "081234567894");
  await pendingRow(page, invoice).waitFor();
  await inquire("081234567894", invoice);
  await page.getByLabel("OVO Points").check();
  await page.getByRole("button", { name: "Pay Now" }).click();
  await page.locator("#message.error").filter({ hasText: "Insufficient balance" }).waitFor();
  const r = await result;
  assert.equal(r.outcome, "NOT_PAID", JSON.stringify(r));
  assert.equal(r.response_code, "65");
  assert.equal(await walletValue(page, "081234567894", "points", OPENING_POINTS), "1.000.000");
  assert.deepEqual(await close(), [
    "404 /simulator/inquiry", "404 /simulator/status/INV-BR-NEVER-PUSHED", "404 /simulator/inquiry",
  ]);

  // Expired: a sandbox with a 1 s window; the push times out before anyone pays.
  const short = await startSandbox(["--hold", "1"]);
  try {
    const timedOut = await push("INV-BR-EXPIRED-1", 1_000, "081234567895", undefined, short.url);
    assert.equal(timedOut.status, "TIMEOUT", JSON.stringify(timedOut));
    assert.equal(timedOut.outcome, "UNKNOWN", "DOKU's TIMEOUT is not final");
    const other = await openPage({ width: 390, height: 844 }, short.url);
    await other.page.getByLabel("OVO phone number").fill("081234567895");
    await other.page.getByLabel("Invoice number", { exact: true }).fill("INV-BR-EXPIRED-1");
    await other.page.getByRole("button", { name: "Inquiry" }).click();
    await other.page.locator("#message.error").filter({ hasText: "Expired" }).waitFor();
    assert.deepEqual(await other.close(), ["404 /simulator/inquiry"]);
  } finally {
    short.stop();
  }
});
