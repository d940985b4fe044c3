/* 收银台: the till page's script. No framework; the server prices and renders, this keeps state.
 *
 * State: `sale` holds the cart exactly as the server takes it (sales/till.py), the sale key of
 * the pay dialog and the submission in flight (`pending`). It is saved in localStorage on every
 * change, so a reload keeps the sale, and a later offline mode can queue `pending` as it is.
 *
 * Paying: the key is made when the pay dialog opens and sent with every attempt. A submission
 * that fails without an answer (network down, timeout, 5xx) is "in doubt": it is retried with the
 * same key, automatically and by the 重试 button, and the sale stays locked on screen until the
 * server answers. The server makes one order per key, so a retry can never charge twice.
 */
(() => {
  "use strict";

  const body = document.body;
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
  const urls = {
    price: body.dataset.urlPrice,
    member: body.dataset.urlMember,
    suspend: body.dataset.urlSuspend,
    suspended: body.dataset.urlSuspended,
    resume: (id) => body.dataset.urlResume.replace("/0/", `/${id}/`),
    pay: body.dataset.urlPay,
  };
  const text = (name) => body.dataset[`msg${name}`];
  const STORAGE = `till:${body.dataset.store}:${body.dataset.cashier}`;
  const TIMEOUT_MS = 15000;
  const RETRY_DELAYS_S = [2, 4, 8, 15, 30];
  const TENDERS = $$("[data-tender]").map((node) => node.dataset.tender);
  const scan = $("#scan");

  const emptyCart = () => ({ lines: [], member_no: "", card_no: "", coupon_codes: [], points_to_use: 0 });
  const newSale = () => ({ cart: emptyCart(), kinds: [], selected: -1, key: "", pending: null });
  let sale = newSale();
  let lastReceipt = ""; // the last paid sale's reprint address (F12)
  let figures = { payable_fen: 0, to_pay_fen: 0, points_payment_fen: 0, stored_value_fen: 0, points: 0 };
  let retryTimer = null;
  let scans = Promise.resolve(); // scans and keys, one after another: a scanner beats a round trip

  /* ---------- state ---------- */

  function save() {
    // The stored-value password is never written to disk: after a reload a retry goes without it
    // (if the first attempt never landed, the server asks for it again).
    const pending = sale.pending && { ...sale.pending, stored_value_password: "" };
    localStorage.setItem(STORAGE, JSON.stringify({ sale: { ...sale, pending }, lastReceipt }));
  }

  function restore() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE) || "null");
      if (saved && saved.sale && saved.sale.cart) {
        sale = { ...newSale(), ...saved.sale };
        lastReceipt = saved.lastReceipt || "";
      }
    } catch (error) {
      localStorage.removeItem(STORAGE);
    }
  }

  function makeKey() {
    // crypto.randomUUID needs a secure context; a store server on plain http is not one.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* ---------- talking to the server ---------- */

  class Unreachable extends Error {} // no answer: the request may or may not have been done

  async function call(url, data) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await fetch(url, {
        method: data === undefined ? "GET" : "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": body.dataset.csrf },
        body: data === undefined ? undefined : JSON.stringify(data),
        signal: controller.signal,
        credentials: "same-origin",
      });
    } catch (error) {
      throw new Unreachable(text("Offline"));
    } finally {
      clearTimeout(timer);
    }
    if (response.redirected || response.status === 403) {
      throw new Unreachable(text("LoggedOut"));
    }
    if (response.status >= 500) throw new Unreachable(text("ServerError"));
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      throw new Unreachable(text("ServerError"));
    }
    return { ok: response.ok, status: response.status, data: answer };
  }

  /** Price `cart`; on success adopt it (the server's merged lines) and show the sale. A refusal
   * comes back as the error object; the sale on screen stays as it was. */
  async function reprice(cart) {
    let answer;
    try {
      answer = await call(urls.price, cart);
    } catch (error) {
      status(error.message, "bad");
      return { error: { message: error.message, fields: {} } };
    }
    if (!answer.ok) return answer.data;
    show(answer.data);
    if ($("#status").dataset.tone === "bad") status(""); // reached again
    return answer.data;
  }

  function show(priced) {
    const grew = priced.cart.lines.length > sale.cart.lines.length;
    sale.cart = priced.cart;
    sale.kinds = priced.line_kinds;
    figures = priced;
    $("#sale").innerHTML = priced.html;
    if (grew || sale.selected >= sale.cart.lines.length) sale.selected = sale.cart.lines.length - 1;
    select(sale.selected);
    save();
  }

  function clearSale() {
    sale = newSale();
    figures = { payable_fen: 0, to_pay_fen: 0, points_payment_fen: 0, stored_value_fen: 0, points: 0 };
    save();
    reprice(sale.cart);
  }

  /* ---------- messages ---------- */

  function status(message, tone = "") {
    const node = $("#status");
    node.textContent = message;
    node.dataset.tone = tone;
  }

  function fieldError(id, message) {
    const node = $(`#${id}`);
    node.textContent = message || "";
    $(`[aria-describedby="${id}"]`)?.classList.toggle("is-invalid", Boolean(message));
  }

  function firstMessage(error) {
    const fields = Object.values(error.fields || {});
    return fields.length ? fields[0] : error.message;
  }

  /* ---------- lines ---------- */

  function select(index) {
    const rows = $$("tr[data-line]");
    sale.selected = rows.length ? Math.max(0, Math.min(index, rows.length - 1)) : -1;
    rows.forEach((row, i) => row.classList.toggle("selected", i === sale.selected));
    rows[sale.selected]?.scrollIntoView({ block: "nearest" });
  }

  async function addScan(code) {
    const cart = structuredClone(sale.cart);
    const same = cart.lines.findIndex(
      (line, i) => sale.kinds[i] === "counted" && (line.barcode === code || line.product_code === code),
    );
    if (same >= 0) {
      const line = cart.lines[same];
      line.qty = String(Number(line.qty || 1) + 1);
    } else {
      cart.lines.push({ barcode: code, product_code: "", qty: null, add_price_offer_id: null });
    }
    const answer = await reprice(cart);
    fieldError("scan-error", answer.error ? `${code}：${firstMessage(answer.error)}` : "");
    if (same >= 0 && !answer.error) select(same);
  }

  async function setQty(form) {
    const value = form.qty.value.trim();
    if (!(Number(value) > 0)) return fieldError("qty-error", form.dataset.bad || "?");
    const cart = structuredClone(sale.cart);
    cart.lines[sale.selected].qty = value;
    const answer = await reprice(cart);
    if (answer.error) return fieldError("qty-error", firstMessage(answer.error));
    close(form);
  }

  function deleteLine() {
    if (sale.selected < 0) return;
    const cart = structuredClone(sale.cart);
    cart.lines.splice(sale.selected, 1);
    sale.selected -= 1;
    reprice(cart);
  }

  /* ---------- dialogs ---------- */

  function open(id) {
    if (sale.pending && id !== "dlg-pay") return status(text("InDoubt"), "bad");
    const dialog = $(`#${id}`);
    $$(".till-error", dialog).forEach((node) => fieldError(node.id, ""));
    dialog.showModal();
    return dialog;
  }

  function close(form) {
    form.closest("dialog").close();
  }

  async function identify(form) {
    let answer;
    try {
      answer = await call(urls.member, { q: form.q.value });
    } catch (error) {
      return fieldError("member-error", error.message);
    }
    if (!answer.ok) return fieldError("member-error", firstMessage(answer.data.error));
    const cart = { ...structuredClone(sale.cart), ...answer.data };
    const priced = await reprice(cart);
    if (priced.error) return fieldError("member-error", firstMessage(priced.error));
    close(form);
  }

  async function forgetMember() {
    const cart = { ...structuredClone(sale.cart), member_no: "", card_no: "", points_to_use: 0 };
    await reprice(cart);
    $("#dlg-member").close();
  }

  async function useCoupon(form) {
    const code = form.code.value.replace(/\s+/g, "");
    if (!code) return;
    const cart = structuredClone(sale.cart);
    cart.coupon_codes.push(code);
    const answer = await reprice(cart);
    if (answer.error) return fieldError("coupon-error", firstMessage(answer.error));
    if (answer.refused_coupons[code]) return fieldError("coupon-error", answer.refused_coupons[code]);
    close(form);
  }

  function openAddPrice() {
    const offers = $$("[data-offer]");
    const list = $("#addprice-list");
    list.innerHTML = "";
    offers.forEach((offer) => list.appendChild(offer.cloneNode(true)));
    open("dlg-addprice").querySelector("input").value = offers.length ? "1" : "";
  }

  async function takeAddPrice(form) {
    const chosen = $$("#addprice-list [data-offer]")[Number(form.choice.value) - 1];
    if (!chosen) return fieldError("addprice-error", "?");
    const cart = structuredClone(sale.cart);
    const offer = Number(chosen.dataset.offer);
    cart.lines.push({ barcode: "", product_code: chosen.dataset.product, qty: "1", add_price_offer_id: offer });
    const answer = await reprice(cart);
    if (answer.error) return fieldError("addprice-error", firstMessage(answer.error));
    close(form);
  }

  async function suspendSale() {
    if (!sale.cart.lines.length) return fieldError("scan-error", text("Empty"));
    let answer;
    try {
      answer = await call(urls.suspend, sale.cart);
    } catch (error) {
      return status(error.message, "bad");
    }
    if (!answer.ok) return fieldError("scan-error", firstMessage(answer.data.error));
    clearSale();
    status(`${text("Suspended")}：${answer.data.label}`, "good");
  }

  async function openResume() {
    const dialog = open("dlg-resume");
    if (!dialog) return;
    dialog.querySelector("input").value = "1";
    try {
      const answer = await call(urls.suspended);
      $("#resume-list").innerHTML = answer.ok ? answer.data.html : "";
    } catch (error) {
      fieldError("resume-error", error.message);
    }
  }

  async function resumeSale(form) {
    const chosen = $$("#resume-list [data-id]")[Number(form.choice.value) - 1];
    if (!chosen) return fieldError("resume-error", "?");
    if (sale.cart.lines.length) return fieldError("resume-error", form.dataset.busy);
    let answer;
    try {
      answer = await call(urls.resume(chosen.dataset.id), {});
    } catch (error) {
      return fieldError("resume-error", error.message);
    }
    if (!answer.ok) return fieldError("resume-error", firstMessage(answer.data.error));
    sale = newSale();
    const priced = await reprice(answer.data.cart);
    if (priced.error) fieldError("scan-error", firstMessage(priced.error));
    close(form);
    status(text("Resumed"), "good");
  }

  /** Print a receipt through the hidden frame: no pop-up to be blocked, the till stays. The
   * page is fetched and written into the frame (the receipt page refuses to be framed). */
  async function printReceipt(url) {
    const frame = $("#receipt-frame");
    let html;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(response.statusText);
      html = await response.text();
    } catch (error) {
      return status(`${text("PrintFailed")} ${url}`, "bad");
    }
    frame.onload = () => frame.contentWindow.print();
    frame.dataset.src = url;
    frame.srcdoc = html;
  }

  function reprint() {
    if (!lastReceipt) return fieldError("scan-error", text("NoReceipt"));
    printReceipt(lastReceipt);
  }

  /* ---------- paying ---------- */

  const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
  const toFen = (value) => Math.round(Number(value || 0) * 100);
  const payForm = () => $("#dlg-pay form");

  function openPay() {
    if (!sale.pending && !sale.cart.lines.length) return fieldError("scan-error", text("Empty"));
    open("dlg-pay");
    if (!sale.key) sale.key = makeKey();
    save();
    const form = payForm();
    doubt(Boolean(sale.pending));
    if (!sale.pending) {
      $$("input", form).forEach((input) => (input.value = ""));
      form.points.value = sale.cart.points_to_use || "";
      cashTouched = false;
      fillCash();
      form.cash.select();
    }
    updateSums();
  }

  /** An attempt in doubt fixes the sale: the tenders can't change, 重试 takes Enter. */
  function doubt(inDoubt) {
    const form = payForm();
    $("#dlg-pay").dataset.state = inDoubt ? "doubt" : "open";
    $$("input", form).forEach((input) => (input.readOnly = inDoubt));
    const retry = $("[data-action=retry]", form);
    retry.hidden = !inDoubt;
    if (inDoubt) retry.focus();
  }

  /* Cash starts as what is left to pay and follows the other tenders until the cashier types
   * into it (the amount handed over, for the change). */
  let cashTouched = false;
  function fillCash() {
    if (cashTouched) return;
    const fen = tenderFen();
    const others = Object.entries(fen).filter(([t]) => t !== "cash").reduce((sum, [, v]) => sum + v, 0);
    const left = Math.max(0, figures.to_pay_fen - others);
    payForm().cash.value = left ? (left / 100).toFixed(2) : "";
  }

  function tenderFen() {
    const form = payForm();
    const fen = {};
    TENDERS.filter((t) => t !== "points").forEach((t) => (fen[t] = toFen(form[t].value)));
    return fen;
  }

  function updateSums() {
    const fen = tenderFen();
    const others = Object.entries(fen).filter(([t]) => t !== "cash").reduce((sum, [, v]) => sum + v, 0);
    const remaining = Math.max(0, figures.to_pay_fen - others - fen.cash);
    const change = Math.max(0, fen.cash + others - figures.to_pay_fen);
    const fill = (name, value) => $$(`[data-fill=${name}]`).forEach((node) => (node.textContent = value));
    fill("payable", yuan(figures.to_pay_fen));
    fill("remaining", yuan(remaining));
    fill("change", yuan(others > figures.to_pay_fen ? 0 : change));
    fill("stored-value", yuan(figures.stored_value_fen));
    fill("points", figures.points);
    fill("points-fen", yuan(figures.points_payment_fen));
    fill("sale-key", sale.key.slice(0, 8));
    return { fen, others, remaining, change };
  }

  /* Points to pay with change the sale's price (the quote says what they are worth). */
  let pointsTimer = null;
  const pointsTyped = () => Number(payForm().points.value || 0);
  function pointsChanged() {
    clearTimeout(pointsTimer);
    pointsTimer = setTimeout(applyPoints, 300);
  }

  async function applyPoints() {
    clearTimeout(pointsTimer);
    const points = pointsTyped();
    if (!Number.isInteger(points) || points < 0) return fieldError("pay-points-error", text("BadAmount"));
    const answer = await reprice({ ...structuredClone(sale.cart), points_to_use: points });
    fieldError("pay-points-error", answer.error ? firstMessage(answer.error) : "");
    fillCash();
    updateSums();
  }

  async function submitPay() {
    if (sale.pending) return send();
    if (pointsTyped() !== sale.cart.points_to_use) return applyPoints(); // look, then Enter again
    const form = payForm();
    $$(".till-error", form).forEach((node) => fieldError(node.id, ""));
    const { fen, others, remaining } = updateSums();
    if (Object.values(fen).some((amount) => !(amount >= 0))) return fieldError("pay-error", text("BadAmount"));
    if (remaining > 0) return fieldError("pay-error", `${text("NotEnough")} ${yuan(remaining)}`);
    if (others > figures.to_pay_fen) return fieldError("pay-error", text("TooMuch"));
    if (fen.stored_value > figures.stored_value_fen) return fieldError("pay-stored_value-error", text("BalanceLow"));
    if (others === figures.to_pay_fen) fen.cash = 0; // nothing left for cash: none handed over
    const payments = Object.entries(fen)
      .filter(([, amount]) => amount > 0)
      .map(([method, amount]) => ({ method, amount_fen: amount, reference: form[`${method}_ref`]?.value.trim() || "" }));
    if (figures.points_payment_fen) payments.push({ method: "points", amount_fen: figures.points_payment_fen });
    sale.pending = {
      sale_key: sale.key,
      cart: sale.cart,
      payments,
      expected_payable_fen: figures.payable_fen,
      stored_value_password: form.password.value,
      attempts: 0,
    };
    save();
    send();
  }

  async function send() {
    clearTimeout(retryTimer);
    const pending = sale.pending;
    if (!pending) return;
    $("#dlg-pay").dataset.state = "sending";
    pending.attempts += 1;
    let answer;
    try {
      answer = await call(urls.pay, pending);
    } catch (error) {
      doubt(true);
      const delay = RETRY_DELAYS_S[pending.attempts - 1];
      const message = delay ? text("Offline") : text("OfflineStopped");
      fieldError("pay-error", error.message === text("Offline") ? message : error.message);
      status(message, "bad");
      if (delay) retryTimer = setTimeout(send, delay * 1000);
      save();
      return;
    }
    if (answer.ok) return paid(answer.data);
    refused(answer.data);
  }

  function refused(answer) {
    // The server answered no: nothing was written, the cashier may change the sale.
    sale.pending = null;
    save();
    doubt(false);
    status("");
    const error = answer.error;
    if (answer.quote) {
      show(answer.quote);
      fillCash();
      updateSums();
      return fieldError("pay-error", text("PriceChanged"));
    }
    const byCode = { STORED_VALUE_INSUFFICIENT: "stored_value", PAYMENT_PASSWORD_REQUIRED: "stored_value",
      PAYMENT_PASSWORD_WRONG: "stored_value", POINTS_INSUFFICIENT: "points", POINTS_PAYMENT_NOT_ALLOWED: "points" };
    const tender = byCode[error.code] ||
      Object.keys(error.fields || {}).map((f) => f.replace("payments.", "")).find((f) => TENDERS.includes(f));
    fieldError(tender ? `pay-${tender}-error` : "pay-error", tender ? firstMessage(error) : error.message +
      (Object.keys(error.fields || {}).length ? `：${firstMessage(error)}` : ""));
  }

  function paid(order) {
    lastReceipt = order.reprint_url;
    printReceipt(order.receipt_url);
    const change = order.change_fen ? ` · ${text("Change")} ${yuan(order.change_fen)}` : "";
    sale = newSale();
    save();
    $("#dlg-pay").close();
    reprice(sale.cart);
    status(`${text("Paid")} ${order.order_no}${change} · F12`, "good");
  }

  /* ---------- keyboard ---------- */

  const ACTIONS = {
    qty: () => {
      const dialog = sale.selected >= 0 && open("dlg-qty");
      if (dialog) $("[data-fill=line-name]", dialog).textContent = $$("tr[data-line]")[sale.selected].dataset.name;
    },
    delete: deleteLine,
    member: () => open("dlg-member"),
    coupon: () => open("dlg-coupon"),
    addprice: openAddPrice,
    suspend: suspendSale,
    resume: openResume,
    pay: openPay,
    reprint,
    clear: () => !sale.pending && clearSale(),
    retry: send,
    "forget-member": forgetMember,
  };
  const KEYS = { F2: "qty", F4: "member", F6: "coupon", F7: "addprice", F8: "suspend", F9: "resume",
    F10: "pay", F12: "reprint" };
  const SUBMITS = { qty: setQty, member: identify, coupon: useCoupon, addprice: takeAddPrice,
    resume: resumeSale, pay: submitPay };

  document.addEventListener("keydown", (event) => {
    if (KEYS[event.key] || event.key === "F1" || event.key === "F3") event.preventDefault(); // not help/find
    if ($("dialog[open]")) return; // a dialog has its own keys: Enter submits, Esc closes
    const emptyScan = scan.value === "";
    let action = KEYS[event.key];
    if (event.key === "Delete" && (emptyScan || event.ctrlKey)) action = event.ctrlKey ? "clear" : "delete";
    if (event.key === "+" && emptyScan) action = "pay";
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      return select(sale.selected + (event.key === "ArrowUp" ? -1 : 1));
    }
    if (!action) return;
    event.preventDefault();
    scans = scans.then(() => ACTIONS[action]()); // after the scans still being priced
  });

  $("#scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = scan.value.trim();
    scan.value = "";
    if (code) scans = scans.then(() => addScan(code));
  });

  $$("dialog").forEach((dialog) => {
    const form = dialog.querySelector("form");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      SUBMITS[form.dataset.submit](form);
    });
    dialog.addEventListener("cancel", (event) => {
      if (dialog.id === "dlg-pay" && sale.pending) event.preventDefault(); // an in-doubt sale stays
    });
    dialog.addEventListener("close", () => {
      if (dialog.id === "dlg-pay" && !sale.pending) save();
      scan.focus();
    });
  });
  $("#dlg-pay").addEventListener("input", (event) => {
    const name = event.target.name;
    if (name === "points") return pointsChanged();
    if (name === "cash") cashTouched = true;
    else if (TENDERS.includes(name)) fillCash();
    updateSums();
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (button) ACTIONS[button.dataset.action]();
    else if (event.target.closest("[data-close]")) {
      if (!(sale.pending && event.target.closest("#dlg-pay"))) event.target.closest("dialog").close();
    } else if (!$("dialog[open]") && !event.target.closest("input, a")) scan.focus();
    if (!$("dialog[open]")) scan.focus();
  });
  window.addEventListener("focus", () => !$("dialog[open]") && scan.focus());

  /* ---------- start ---------- */

  restore();
  reprice(sale.cart).then((answer) => {
    if (answer.error) status(firstMessage(answer.error), "bad");
    if (sale.pending) {
      openPay();
      send();
    }
  });
  scan.focus();
})();
