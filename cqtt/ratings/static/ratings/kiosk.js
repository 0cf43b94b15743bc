/* The counter's rating tablet. Polls the counter's state; a rating is put in a queue kept on the device
   (localStorage) before it is sent, and sent again until the server answers for it — 201 recorded, 200 the
   same rating again, 400 or 409 refused for good — so an outage loses nothing and counts nothing twice. */
(function () {
  "use strict";
  var body = document.body;
  var stateUrl = body.dataset.state, sendUrl = body.dataset.send, csrf = body.dataset.csrf;
  var QUEUE = "cqtt-kiosk-queue-" + body.dataset.counter, DONE = "cqtt-kiosk-done-" + body.dataset.counter;
  var POLL_MS = 3000, RESET_MS = 90000, THANKS_MS = 5000, AUTO_SEND_MS = 30000;
  var screens = ["idle", "ask", "why", "thanks"];
  var current = null, level = null, idleTimer = null, sendTimer = null, flushing = false;

  function $(id) { return document.getElementById(id); }
  function load(key) { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function save(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full */ } }
  function uid() {
    if (window.crypto && crypto.getRandomValues) {
      var a = new Uint8Array(16); crypto.getRandomValues(a);
      return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    return String(Date.now()) + String(Math.random()).slice(2);
  }
  function show(name) {
    screens.forEach(function (s) { $(s).hidden = s !== name; });
    clearTimeout(idleTimer);
    if (name === "ask" || name === "why") { idleTimer = setTimeout(dismiss, RESET_MS); }
  }
  function markDone(id) {
    var done = load(DONE); done.push(id); save(DONE, done.slice(-50));
  }
  function dismiss() { if (current) { markDone(current.id); } current = null; show("idle"); }
  function showQueue() {
    var n = load(QUEUE).length, q = $("queue");
    q.hidden = n === 0; q.textContent = n + " " + q.dataset.label;
  }

  function ask(prompt) {
    current = prompt; level = null;
    $("officer").textContent = prompt.officer || "";
    $("procedure").textContent = prompt.procedure || "";
    $("action").textContent = prompt.action || "";
    var photo = $("photo"), initials = $("initials");
    if (prompt.photo) { photo.src = prompt.photo; photo.hidden = false; initials.hidden = true; }
    else {
      photo.hidden = true; initials.hidden = false;
      initials.textContent = (prompt.officer || "").split(" ").filter(Boolean).slice(-1).map(function (w) { return w[0]; }).join("");
    }
    show("ask");
  }

  function poll() {
    fetch(stateUrl, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.status === 401) { window.location.reload(); return null; }
      return r.ok ? r.json() : null;
    }).then(function (data) {
      $("offline").hidden = true;
      if (!data) { return; }
      var p = data.prompt;
      var idle = !$("idle").hidden;
      if (p && idle && load(DONE).indexOf(p.id) < 0) { ask(p); }
      if (!p && !$("ask").hidden) { current = null; show("idle"); }
    }).catch(function () { $("offline").hidden = false; })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  function flush() {
    if (flushing) { return; }
    var queue = load(QUEUE);
    if (!queue.length) { showQueue(); return; }
    flushing = true;
    var item = queue[0];
    fetch(sendUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item)
    }).then(function (r) {
      flushing = false;
      if ([200, 201, 400, 409].indexOf(r.status) >= 0) {
        save(QUEUE, load(QUEUE).filter(function (x) { return x.client_id !== item.client_id; }));
        showQueue(); flush();
      } else if (r.status === 401 || r.status === 403) { window.location.reload(); }
      else { showQueue(); setTimeout(flush, 10000); }
    }).catch(function () {
      flushing = false; $("offline").hidden = false; showQueue(); setTimeout(flush, 10000);
    });
  }

  function send() {
    if (!current || !level) { return; }
    clearTimeout(sendTimer);
    var reasons = Array.prototype.filter.call(document.querySelectorAll(".reason"), function (b) {
      return b.getAttribute("aria-pressed") === "true" && !b.parentNode.hidden;
    }).map(function (b) { return b.dataset.reason; });
    var queue = load(QUEUE);
    queue.push({ prompt_id: current.id, level: level, reasons: reasons, comment: $("comment").value,
                 client_id: uid(), rated_at: new Date().toISOString() });
    save(QUEUE, queue); markDone(current.id); current = null;
    show("thanks"); showQueue(); flush();
    setTimeout(function () { if (!$("thanks").hidden) { show("idle"); } }, THANKS_MS);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".level"), function (b) {
    b.addEventListener("click", function () {
      level = b.dataset.level;
      var good = level === "very_satisfied" || level === "satisfied";
      $("reasons-good").hidden = !good; $("reasons-bad").hidden = good;
      $("why-title").textContent = good ? $("why-title").dataset.good : $("why-title").dataset.bad;
      Array.prototype.forEach.call(document.querySelectorAll(".reason"), function (r) { r.setAttribute("aria-pressed", "false"); });
      $("comment").value = "";
      show("why");
      clearTimeout(sendTimer); sendTimer = setTimeout(send, AUTO_SEND_MS);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".reason"), function (b) {
    b.addEventListener("click", function () {
      b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
      clearTimeout(sendTimer); sendTimer = setTimeout(send, AUTO_SEND_MS); show("why");
    });
  });
  $("comment").addEventListener("input", function () { clearTimeout(sendTimer); sendTimer = setTimeout(send, AUTO_SEND_MS); show("why"); });
  $("send").addEventListener("click", send);
  $("back").addEventListener("click", function () { clearTimeout(sendTimer); show("ask"); });
  window.addEventListener("online", flush);
  showQueue(); flush(); poll();
  setInterval(flush, 30000);
})();
