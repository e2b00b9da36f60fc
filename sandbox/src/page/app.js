// The Payment Simulator page: talks only to the sandbox's /simulator/ control API.
// It waits on /simulator/changes (a long poll) and refreshes its lists when anything
// changed; countdowns tick locally between refreshes.
"use strict";

const $ = (id) => document.getElementById(id);
const rupiah = new Intl.NumberFormat("id-ID");
const state = { version: null, deadlines: new Map(), selected: null };

/** Element helper: `el("td", {class: "x"}, "text", child)`; text is never parsed as HTML. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  }
  for (const c of children) {
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function call(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  const text = await resp.text();
  let json = null;
  try { json = JSON.parse(text); } catch (_) { json = null; }
  return { status: resp.status, body: json };
}

function say(target, text, kind) {
  const node = $(target);
  node.textContent = text;
  node.className = "message" + (kind ? " " + kind : "");
}

function secondsLeft(invoice) {
  const deadline = state.deadlines.get(invoice);
  if (deadline === undefined) return null;
  return Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
}

function tick() {
  for (const node of document.querySelectorAll("[data-countdown]")) {
    const left = secondsLeft(node.dataset.countdown);
    if (left !== null) {
      node.textContent = left + " s";
      node.dataset.seconds = String(left);
    }
  }
}

/** Labels every body cell with its column's heading (the phone layout shows them). */
function fill(table, rows) {
  const heads = [...table.tHead.rows[0].cells].map((c) => c.textContent);
  for (const row of rows) {
    [...row.cells].forEach((cell, i) => { cell.dataset.label = heads[i]; });
  }
  table.tBodies[0].replaceChildren(...rows);
}

function badge(status) {
  return el("span", { class: "badge " + status.toLowerCase() }, status);
}

function answerText(p) {
  if (p.http_status === null) {
    return p.fault === "connection_reset" ? "connection reset, no answer" : "no answer, closed after the window";
  }
  const body = p.response_body === "" ? "empty body" : p.fault === "http_500_html" ? "HTML" : p.fault === "truncated_json" ? "truncated JSON" : "JSON";
  return "HTTP " + p.http_status + ", " + body;
}

function renderPending(list) {
  const now = performance.now();
  state.deadlines = new Map(list.map((p) => [p.invoice_number, now + p.seconds_left * 1000]));
  const rows = list.map((p) => {
    const select = el("button", { type: "button", class: "small", "aria-label": "Select invoice " + p.invoice_number }, "Select");
    select.addEventListener("click", () => {
      $("phone").value = p.ovo_id;
      $("invoice").value = p.invoice_number;
      inquiry(true);
    });
    const client = p.client_connected ? "waiting" : "client gone, still payable";
    return el("tr", { "data-invoice": p.invoice_number, "data-client": p.client_connected ? "connected" : "gone" },
      el("td", {}, p.invoice_number, el("br"), el("span", { class: "sub" }, p.ovo_id + " · " + p.ovo_account_name)),
      el("td", { class: "num" }, "Rp " + rupiah.format(p.amount)),
      el("td", { class: "num countdown", "data-countdown": p.invoice_number }, ""),
      el("td", { class: p.client_connected ? "" : "gone" }, client),
      el("td", {}, select));
  });
  fill($("pending-table"), rows);
  $("pending-empty").hidden = list.length > 0;
  tick();
}

function renderPayments(list) {
  const rows = list.map((p) => {
    const when = new Date(p.finished_at).toLocaleTimeString("en-GB");
    const body = p.response_body === null ? "(nothing was sent)" : p.response_body === "" ? "(empty body)" : p.response_body;
    const details = el("details", {}, el("summary", {}, answerText(p)), el("pre", { class: "body" }, body));
    const notes = [];
    if (p.abandoned) notes.push(el("span", { class: "sub gone" }, "client had gone"));
    return el("tr", { "data-invoice": p.invoice_number, "data-status": p.status, "data-code": p.response_code },
      el("td", {}, when),
      el("td", {}, p.invoice_number, el("br"), el("span", { class: "sub" }, p.ovo_id + " · Rp " + rupiah.format(p.amount))),
      el("td", {}, badge(p.status), ...notes.flatMap((n) => [el("br"), n])),
      el("td", { class: "num" }, p.response_code),
      el("td", { class: "wide" }, details));
  });
  fill($("payments-table"), rows);
  $("payments-empty").hidden = list.length > 0;
}

function renderWallets(list) {
  const rows = list.map((w) => el("tr", { "data-ovo-id": w.ovo_id },
    el("td", {}, w.ovo_id),
    el("td", {}, w.account_name || "(unregistered)"),
    el("td", { class: "wide" }, w.behaviour),
    el("td", { class: "num", "data-field": "cash", "data-value": w.cash_balance }, rupiah.format(w.cash_balance)),
    el("td", { class: "num", "data-field": "points", "data-value": w.ovo_points_balance }, rupiah.format(w.ovo_points_balance))));
  fill($("wallets-table"), rows);
}

async function refresh() {
  const [pending, payments, wallets] = await Promise.all([
    call("GET", "/simulator/pending"),
    call("GET", "/simulator/payments?limit=20"),
    call("GET", "/simulator/wallets"),
  ]);
  renderPending(pending.body.pending);
  renderPayments(payments.body.payments);
  renderWallets(wallets.body.wallets);
  if (state.selected && !state.deadlines.has(state.selected)) {
    $("details").hidden = true;
    state.selected = null;
  }
}

/** Waits for changes forever; a lost sandbox is retried every second. */
async function watch() {
  for (;;) {
    try {
      const since = state.version === null ? "" : "?since=" + state.version;
      const r = await call("GET", "/simulator/changes" + since);
      $("connection").textContent = "Connected: this page updates by itself.";
      $("connection").className = "connection ok";
      if (r.body.version !== state.version) {
        await refresh();
        state.version = r.body.version; // only once the lists are current
      }
    } catch (_) {
      $("connection").textContent = "The sandbox does not answer; retrying.";
      $("connection").className = "connection bad";
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** Explains why `invoice` cannot be acted on, from its status. */
async function explainDone(invoice) {
  const r = await call("GET", "/simulator/status/" + encodeURIComponent(invoice));
  if (r.status !== 200) return "No such invoice: no push for " + invoice + " is waiting.";
  const t = r.body.transaction.status;
  const code = r.body.ovo_payment.response_code;
  if (t === "SUCCESS") return "Already paid: invoice " + invoice + " was paid (SUCCESS 00).";
  if (t === "TIMEOUT") return "Expired: the window of invoice " + invoice + " passed without payment (TIMEOUT 68).";
  if (code === "65") return "Insufficient balance: invoice " + invoice + " already failed (FAILED 65).";
  if (code === "17") return "Already declined: invoice " + invoice + " was declined (FAILED 17).";
  return "Already finished: invoice " + invoice + " ended " + t + " " + code + ".";
}

function showDetails(info) {
  state.selected = info.invoice_number;
  state.deadlines.set(info.invoice_number, performance.now() + info.seconds_left * 1000);
  $("d-invoice").textContent = info.invoice_number;
  $("d-amount").textContent = "Rp " + rupiah.format(info.amount);
  $("d-name").textContent = info.ovo_account_name;
  $("d-phone").textContent = info.ovo_id;
  $("d-cash").textContent = rupiah.format(info.cash_balance);
  $("d-points").textContent = rupiah.format(info.ovo_points_balance);
  $("d-left").dataset.countdown = info.invoice_number;
  $("d-client").textContent = info.client_connected ? "waiting for the answer" : "gone (gave up); the payment still counts";
  $("details").hidden = false;
  tick();
}

async function inquiry(focusPay) {
  const phone = $("phone").value.trim();
  const invoice = $("invoice").value.trim();
  $("details").hidden = true;
  state.selected = null;
  if (!/^[0-9]{9,15}$/.test(phone)) {
    say("message", "Enter the OVO phone number: 9 to 15 digits.", "error");
    $("phone").focus();
    return;
  }
  if (invoice === "") {
    say("message", "Enter the invoice number.", "error");
    $("invoice").focus();
    return;
  }
  const r = await call("POST", "/simulator/inquiry", { invoice_number: invoice });
  if (r.status === 200 && r.body.ovo_id !== phone) {
    say("message", "Invoice " + invoice + " was pushed to another phone number.", "error");
  } else if (r.status === 200) {
    showDetails(r.body);
    say("message", "Invoice " + invoice + ": Rp " + rupiah.format(r.body.amount) + " for " + r.body.ovo_account_name + ". Choose how to pay.", "");
    if (focusPay) $("pay-button").focus();
  } else {
    say("message", await explainDone(invoice), "error");
  }
}

async function act(kind) {
  const invoice = state.selected;
  if (!invoice) return;
  const method = document.querySelector("input[name=method]:checked").value;
  const r = kind === "pay"
    ? await call("POST", "/simulator/pay", { invoice_number: invoice, method })
    : await call("POST", "/simulator/decline", { invoice_number: invoice });
  $("details").hidden = true;
  state.selected = null;
  if (r.status !== 200) {
    say("message", await explainDone(invoice), "error");
    return;
  }
  const p = r.body.ovo_payment;
  const amount = "Rp " + rupiah.format(r.body.order.amount);
  if (p.status === "SUCCESS") {
    const how = p.ovo_points_used > 0 ? "OVO Points" : "OVO Cash";
    say("message", "Paid: invoice " + invoice + ", " + amount + " with " + how + " (SUCCESS 00, approval code " + p.approval_code + ").", "ok");
  } else if (p.response_code === "65") {
    say("message", "Insufficient balance: the " + (method === "points" ? "OVO Points" : "OVO Cash") + " balance is below " + amount + ". The push ended FAILED 65; nothing was charged.", "error");
  } else if (p.response_code === "17") {
    say("message", "Declined: invoice " + invoice + " ended FAILED 17.", "ok");
  } else {
    say("message", "Invoice " + invoice + " ended " + p.status + " " + p.response_code + ".", "error");
  }
}

async function checkStatus() {
  const invoice = $("status-invoice").value.trim();
  $("status-body").hidden = true;
  if (invoice === "") {
    say("status-message", "Enter the invoice number.", "error");
    $("status-invoice").focus();
    return;
  }
  const r = await call("GET", "/simulator/status/" + encodeURIComponent(invoice));
  if (r.status !== 200) {
    say("status-message", "Transaction not found: no push for " + invoice + " was accepted.", "error");
    return;
  }
  const t = r.body.transaction;
  const code = r.body.ovo_payment.response_code;
  const text = t.status === "SUCCESS" ? "paid" : t.status === "PENDING" ? "waiting for the customer" : t.status === "TIMEOUT" ? "expired without payment" : "not paid";
  say("status-message", "Invoice " + invoice + ": " + t.status + (code ? " " + code : "") + " (" + text + ").", t.status === "SUCCESS" ? "ok" : "");
  $("status-body").textContent = JSON.stringify(r.body, null, 2);
  $("status-body").hidden = false;
}

document.addEventListener("DOMContentLoaded", () => {
  $("inquiry-form").addEventListener("submit", (e) => { e.preventDefault(); inquiry(false); });
  $("pay-button").addEventListener("click", () => act("pay"));
  $("decline-button").addEventListener("click", () => act("decline"));
  $("status-form").addEventListener("submit", (e) => { e.preventDefault(); checkStatus(); });
  setInterval(tick, 250);
  watch();
});
