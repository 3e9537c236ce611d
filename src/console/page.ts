// The console's one page: a small workspace (channels, DMs with Cobro, App Home, threads, the
// outbox) for one person at a time. It shows what the server rendered (render-blocks.ts) and
// reports each click, choice and submission back; the server turns them into Slack's requests.
const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1c1d;background:#fff;height:100vh;display:flex}
aside{width:250px;background:#3f0e40;color:#cfc3cf;display:flex;flex-direction:column;overflow:auto}
aside h1{font-size:17px;color:#fff;margin:0;padding:14px 16px;border-bottom:1px solid #5d2c5d}
aside label{display:block;padding:10px 16px 2px;font-size:12px}
aside select{margin:0 16px 6px;width:218px;padding:4px}
aside h2{font-size:13px;font-weight:600;margin:14px 16px 4px;color:#cfc3cf}
aside a{display:block;padding:3px 16px 3px 26px;color:#cfc3cf;text-decoration:none;cursor:pointer}
aside a.active{background:#1164a3;color:#fff}aside a:hover:not(.active){background:#350d36}
aside .tools{margin-top:auto;padding:12px 16px;border-top:1px solid #5d2c5d}
aside .tools button{width:100%;margin:3px 0;padding:6px;border-radius:4px;border:1px solid #8e6d8e;background:#4d1a4e;color:#fff;cursor:pointer}
main{flex:1;display:flex;flex-direction:column;min-width:0}
main header{padding:12px 20px;border-bottom:1px solid #ddd;font-weight:700;font-size:16px;display:flex;gap:8px;align-items:center}
main header small{font-weight:400;color:#616061}
#messages{flex:1;min-height:0;overflow:auto;padding:8px 0}
.msg{padding:6px 20px;display:flex;gap:10px}.msg:hover{background:#f8f8f8}
.msg .avatar{width:36px;height:36px;border-radius:6px;background:#2eb67d;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700;flex:none}
.msg .who{font-weight:700}.msg .app{font-size:10px;background:#e8e8e8;border-radius:3px;padding:0 4px;margin-left:4px;color:#616061}
.msg .when{color:#616061;font-size:12px;margin-left:6px}.msg .mine{font-size:12px;color:#616061;font-style:italic}
.msg.ephemeral{background:#f4f9fd}.msg .body{flex:1;min-width:0}
.thread-link{color:#1264a3;font-size:13px;font-weight:700;cursor:pointer;margin-top:2px}
.file{display:inline-block;border:1px solid #ddd;border-radius:6px;padding:6px 10px;margin:4px 4px 0 0;color:#1264a3;text-decoration:none}
.file::before{content:"📄 "}
#composer{margin:8px 20px 16px;border:1px solid #bbb;border-radius:8px;padding:10px;font:inherit;width:calc(100% - 40px)}
#thread{width:380px;border-left:1px solid #ddd;display:flex;flex-direction:column}#thread[hidden]{display:none}
#thread header{justify-content:space-between}
#thread-messages{flex:1;overflow:auto}
.blk{margin:4px 0}.blk-header{font-size:16px;margin:6px 0}.blk-divider{border:0;border-top:1px solid #ddd}
.blk-section{display:flex;gap:12px;align-items:flex-start}.blk-section .body{flex:1}.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}
.blk-context{color:#616061;font-size:12px;display:flex;gap:8px;flex-wrap:wrap;align-items:center}.blk-context img{width:16px;height:16px}
.blk-actions{display:flex;gap:8px;flex-wrap:wrap}
.el-button{border:1px solid #bbb;background:#fff;border-radius:4px;padding:4px 12px;font:inherit;font-weight:600;cursor:pointer}
.el-button.primary{background:#007a5a;border-color:#007a5a;color:#fff}.el-button.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.el-select,.el-overflow,.el-input{font:inherit;padding:4px 6px;border:1px solid #bbb;border-radius:4px;max-width:100%}
.blk-input{display:flex;flex-direction:column;gap:4px;margin:10px 0}.blk-input label{font-weight:700}.blk-input .el-input,.blk-input .el-select{width:100%}
textarea.el-input{min-height:70px}.optional{font-weight:400;color:#616061}.hint{color:#616061;font-size:12px}
.field-error{color:#e01e5a;font-size:13px}.choice{display:block;font-weight:400}
.blk-table{border-collapse:collapse;font-size:13px}.blk-table th,.blk-table td{border:1px solid #ddd;padding:3px 8px;text-align:left}.blk-table .align-right{text-align:right}.blk-table .align-center{text-align:center}
.unsupported{border:1px dashed #e01e5a;color:#e01e5a;padding:4px 8px;border-radius:4px;font-size:12px}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
code{background:#f6f6f6;border:1px solid #e2e2e2;border-radius:3px;padding:0 3px;color:#e01e5a}pre{background:#f6f6f6;border:1px solid #e2e2e2;padding:8px;border-radius:4px;white-space:pre-wrap}
blockquote{border-left:4px solid #ddd;margin:2px 0;padding-left:8px}
#overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center}#overlay[hidden]{display:none}
.modal{background:#fff;border-radius:8px;width:540px;max-height:90vh;display:flex;flex-direction:column;box-shadow:0 10px 40px rgba(0,0,0,.3)}
.modal h2{margin:0;padding:16px 20px;border-bottom:1px solid #ddd;font-size:18px}.modal .content{padding:8px 20px;overflow:auto}
.modal footer{padding:12px 20px;border-top:1px solid #ddd;display:flex;justify-content:flex-end;gap:8px}.modal .form-error{color:#e01e5a;padding:0 20px}
.empty{margin:auto;text-align:center;max-width:460px;color:#616061}.empty button{font:inherit;font-size:16px;padding:10px 18px;border-radius:6px;border:0;background:#007a5a;color:#fff;cursor:pointer}
#outbox{padding:8px 20px;overflow:auto;flex:1;min-height:0}#outbox .mail{border:1px solid #ddd;border-radius:6px;padding:10px;margin:8px 0}#outbox .subject{font-weight:700}
#toast{position:fixed;bottom:16px;left:50%;transform:translateX(-50%);background:#1d1c1d;color:#fff;padding:8px 14px;border-radius:6px}#toast[hidden]{display:none}
`;

const SCRIPT = `
const $ = (s, el = document) => el.querySelector(s);
const $$ = (s, el = document) => [...el.querySelectorAll(s)];
const esc = (t) => String(t).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"})[c]);
const ui = { user: localStorage.getItem("cobro.user") || "", place: localStorage.getItem("cobro.place") || "CBILLING", thread: null, data: null, modalKey: "", homeKey: "", busy: 0 };
function toast(text) { const t = $("#toast"); t.textContent = text; t.hidden = false; clearTimeout(toast.timer); toast.timer = setTimeout(() => (t.hidden = true), 3000); }
async function call(name, body) {
  ui.busy++; document.body.dataset.busy = ui.busy;
  try {
    const res = await fetch("/console/do/" + name, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: ui.user, ...body }) });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) toast(json.message || ("The console answered " + res.status));
    return json;
  } finally { ui.busy--; document.body.dataset.busy = ui.busy; }
}
let refreshing = null, again = false;
async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    do { again = false; const res = await fetch("/console/state?user=" + encodeURIComponent(ui.user)); ui.data = await res.json(); render(); } while (again);
  })();
  try { await refreshing; } finally { refreshing = null; }
}
function time(ts) { return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }
function messageHtml(m) {
  const files = m.files.map((f) => '<a class="file" target="_blank" href="/console/files/' + encodeURIComponent(f.id) + '">' + esc(f.title && f.title !== f.name ? f.title + " · " + f.name : f.name) + "</a>").join("");
  const thread = m.replies > 0 ? '<div class="thread-link" data-thread="' + esc(m.ts) + '">' + m.replies + (m.replies === 1 ? " reply" : " replies") + "</div>" : "";
  return '<div class="msg' + (m.ephemeral ? " ephemeral" : "") + '" data-surface="message" data-channel="' + esc(m.channel) + '" data-ts="' + esc(m.ts) + '">' +
    '<div class="avatar">' + esc(m.author.slice(0, 1)) + '</div><div class="body"><div><span class="who">' + esc(m.author) + "</span>" + (m.bot ? '<span class="app">APP</span>' : "") +
    '<span class="when">' + time(m.ts) + (m.edited ? " (edited)" : "") + "</span>" + (m.ephemeral ? ' <span class="mine">Only visible to you</span>' : "") + "</div>" +
    '<div class="content">' + m.html + "</div>" + files + thread + "</div></div>";
}
function placeName(id) {
  if (id === "home") return "Cobro · Home";
  if (id === "outbox") return "Outbox (e-mails Cobro sent)";
  const c = ui.data.directory.channels.find((c) => c.id === id);
  return c ? (c.kind === "dm" ? "Cobro · DM" : "#" + c.name) : id;
}
function renderSidebar() {
  const d = ui.data.directory;
  $("#workspace").textContent = d.workspaceName;
  $("#you").innerHTML = d.people.map((p) => '<option value="' + esc(p.id) + '"' + (p.id === ui.user ? " selected" : "") + ">" + esc(p.name + (p.roles.length ? " (" + p.roles.join(", ") + ")" : "")) + "</option>").join("");
  const link = (id, label) => '<a data-place="' + esc(id) + '"' + (ui.place === id ? ' class="active"' : "") + ">" + label + "</a>";
  const dm = "D" + ui.user;
  $("#channels").innerHTML = d.channels.filter((c) => c.kind === "channel").map((c) => link(c.id, "# " + esc(c.name))).join("");
  $("#apps").innerHTML = ui.user ? link("home", "Cobro · Home") + link(dm, "Cobro · Messages") : "";
  $("#mail").innerHTML = link("outbox", "Outbox");
}
function renderMain() {
  const d = ui.data.directory;
  const main = $("#main-body");
  $("#title").innerHTML = esc(placeName(ui.place));
  $("#composer").hidden = ui.place === "home" || ui.place === "outbox" || !ui.user;
  if (!d.seeded) {
    main.innerHTML = '<div class="empty"><h2>An empty workspace</h2><p>Cobro has no company to show yet. Seed the demo consultancy (clients, projects, milestones, timesheets and invoices in every ageing bucket) and try it as each of its people.</p><button id="seed">Seed the demo company</button><p>Or run <code>cobro demo</code> before <code>npm start</code>.</p></div>';
    return;
  }
  if (!d.people.length) {
    main.innerHTML = '<div class="empty"><h2>Nobody to act as yet</h2><p>' + esc(d.workspaceName) + ' has its data but no people. Import them with <code>cobro import people people.csv</code> (e-mail, name, roles) and reload this page to try Cobro as each of them.</p></div>';
    return;
  }
  if (ui.place !== "home" && ui.place !== "outbox" && $("#messages", main) === null) ui.messagesHtml = "";
  if (ui.place === "outbox") { ui.messagesHtml = ""; renderOutbox(main); return; }
  if (ui.place === "home") {
    ui.messagesHtml = "";
    const key = ui.data.home ? ui.data.home.id + ui.data.home.hash : "none";
    if (ui.homeKey !== key || !$("#home", main)) {
      ui.homeKey = key;
      main.innerHTML = ui.data.home ? '<div id="home" data-surface="view" data-view-id="' + esc(ui.data.home.id) + '" style="padding:8px 20px;overflow:auto;flex:1;min-height:0">' + ui.data.home.html + "</div>" : '<div class="empty">Opening the App Home…</div>';
    }
    return;
  }
  ui.homeKey = "";
  const list = ui.data.messages.filter((m) => m.channel === ui.place && !m.threadTs);
  const html = '<div id="messages">' + (list.length ? list.map(messageHtml).join("") : '<div class="empty" style="padding:40px">No messages yet. Type a command below, e.g. <code>/cobro help</code>.</div>') + "</div>";
  // Unchanged messages stay as they are: menus keep the options they loaded, inputs what was typed.
  if (html === ui.messagesHtml && $("#messages", main)) return;
  ui.messagesHtml = html;
  main.innerHTML = html;
  const box = $("#messages"); box.scrollTop = box.scrollHeight;
}
function renderThread() {
  const pane = $("#thread");
  const parent = ui.thread && ui.data.messages.find((m) => m.ts === ui.thread.ts && m.channel === ui.thread.channel);
  if (!parent || ui.place !== parent.channel) { pane.hidden = true; return; }
  pane.hidden = false;
  const replies = ui.data.messages.filter((m) => m.threadTs === parent.ts && m.channel === parent.channel);
  $("#thread-messages").innerHTML = messageHtml({ ...parent, replies: 0 }) + '<hr class="blk-divider">' + replies.map(messageHtml).join("");
}
async function renderOutbox(main) {
  const mails = await (await fetch("/console/outbox")).json();
  main.innerHTML = '<div id="outbox">' + (mails.length ? mails.map((m) => '<div class="mail"><div class="subject">' + esc(m.subject) + '</div><div>To: ' + esc(m.to) + ' · ' + esc(m.date) + '</div><pre>' + esc(m.text.slice(0, 600)) + '</pre>' +
    m.attachments.map((a, i) => '<a class="file" target="_blank" href="/console/outbox/' + encodeURIComponent(m.file) + "/" + i + '">' + esc(a.filename) + "</a>").join("") + "</div>").join("") : '<div class="empty" style="padding:40px">No e-mail sent yet.</div>') + "</div>";
}
function renderModal() {
  const top = ui.data.modals[ui.data.modals.length - 1];
  const overlay = $("#overlay");
  if (!top) { overlay.hidden = true; overlay.innerHTML = ""; ui.modalKey = ""; return; }
  const key = top.id + top.hash;
  if (key === ui.modalKey) return;
  ui.modalKey = key;
  overlay.hidden = false;
  overlay.innerHTML = '<div class="modal" role="dialog" aria-label="' + top.title + '" data-surface="view" data-view-id="' + esc(top.id) + '"><h2>' + top.title + '</h2><div class="content">' + top.html + '</div><div class="form-error" hidden></div><footer><button class="el-button" data-modal="close">' + top.close + "</button>" +
    (top.submit ? '<button class="el-button primary" data-modal="submit">' + top.submit + "</button>" : "") + "</footer></div>";
}
function render() {
  const d = ui.data.directory;
  if (d.people.length && !d.people.some((p) => p.id === ui.user)) { ui.user = d.people[0].id; localStorage.setItem("cobro.user", ui.user); refresh(); return; }
  renderSidebar(); renderMain(); renderThread(); renderModal();
}
function readInputs(surface) {
  const out = [];
  for (const el of $$("[data-action-id]", surface)) {
    const base = { blockId: el.dataset.blockId, actionId: el.dataset.actionId };
    if (el.tagName === "BUTTON") continue;
    if (el.classList.contains("el-choices")) {
      const checked = $$("input:checked", el).map((i) => i.value);
      out.push(el.dataset.type === "checkboxes" ? { ...base, values: checked } : { ...base, value: checked[0] || null });
    } else if (el.multiple) out.push({ ...base, values: [...el.selectedOptions].map((o) => o.value) });
    else out.push({ ...base, value: el.value });
  }
  return out;
}
function surfaceOf(el) {
  const s = el.closest("[data-surface]");
  if (!s) return null;
  return { el: s, ref: s.dataset.surface === "view" ? { viewId: s.dataset.viewId } : { channel: s.dataset.channel, ts: s.dataset.ts } };
}
function confirmFirst(el) {
  if (!el.dataset.confirm) return Promise.resolve(true);
  const c = JSON.parse(el.dataset.confirm);
  const text = (t) => (t && t.text) || "";
  return new Promise((resolve) => {
    const box = document.createElement("div");
    box.id = "confirm"; box.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:10";
    box.innerHTML = '<div class="modal" role="alertdialog"><h2>' + esc(text(c.title) || "Are you sure?") + '</h2><div class="content">' + esc(text(c.text)) + '</div><footer><button class="el-button" data-answer="no">' + esc(text(c.deny) || "Cancel") + '</button><button class="el-button primary" data-answer="yes">' + esc(text(c.confirm) || "Yes") + "</button></footer></div>";
    box.addEventListener("click", (e) => { const a = e.target.closest("[data-answer]"); if (!a) return; box.remove(); resolve(a.dataset.answer === "yes"); });
    document.body.append(box);
  });
}
async function act(el, chosen) {
  const surface = surfaceOf(el);
  if (!surface || !(await confirmFirst(el))) return;
  await call("action", { surface: surface.ref, blockId: el.dataset.blockId, actionId: el.dataset.actionId, chosen, state: readInputs(surface.el) });
}
async function loadExternal(select) {
  const surface = surfaceOf(select);
  if (!surface || select.dataset.loaded) return;
  select.dataset.loaded = "1";
  const { options = [] } = await call("options", { surface: surface.ref, blockId: select.dataset.blockId, actionId: select.dataset.actionId, value: "" });
  const current = select.value;
  for (const o of options) if (![...select.options].some((x) => x.value === o.value)) select.add(new Option(o.text, o.value, false, o.value === current));
}
document.addEventListener("click", async (e) => {
  const place = e.target.closest("[data-place]");
  if (place) {
    ui.place = place.dataset.place; ui.thread = null; localStorage.setItem("cobro.place", ui.place);
    if (ui.place === "home") await call("home", {});
    return refresh();
  }
  if (e.target.closest("#seed")) { e.target.closest("#seed").disabled = true; await call("seed", {}); return refresh(); }
  if (e.target.closest("#scan")) { await call("overdue-scan", {}); toast("Today's overdue scan ran: its alerts arrive in a moment."); return; }
  const link = e.target.closest("[data-thread]");
  if (link) { const m = link.closest(".msg"); ui.thread = { channel: m.dataset.channel, ts: link.dataset.thread }; return renderThread(); }
  if (e.target.closest("#close-thread")) { ui.thread = null; return renderThread(); }
  const modalButton = e.target.closest("[data-modal]");
  if (modalButton) {
    const modal = modalButton.closest("[data-view-id]");
    if (modalButton.dataset.modal === "close") return void (await call("close", { viewId: modal.dataset.viewId }));
    $$(".field-error", modal).forEach((el) => { el.hidden = true; el.textContent = ""; });
    const answer = await call("submit", { viewId: modal.dataset.viewId, state: readInputs(modal) });
    if (answer.errors) {
      for (const [blockId, text] of Object.entries(answer.errors)) {
        const slot = $$("[data-error-for]", modal).find((el) => el.dataset.errorFor === blockId);
        if (slot) { slot.textContent = text; slot.hidden = false; } else { const f = $(".form-error", modal); f.textContent = text; f.hidden = false; }
      }
    } else if (answer.error) { const f = $(".form-error", modal); f.textContent = answer.error; f.hidden = false; }
    return;
  }
  const button = e.target.closest("button.el-button[data-action-id]");
  if (button) {
    if (button.dataset.url) window.open(button.dataset.url, "_blank", "noopener");
    button.disabled = true;
    try { await act(button, {}); } finally { button.disabled = false; }
  }
});
document.addEventListener("mousedown", (e) => { const s = e.target.closest('select[data-type="external_select"]'); if (s) loadExternal(s); });
document.addEventListener("focusin", (e) => { const s = e.target.closest('select[data-type="external_select"]'); if (s) loadExternal(s); });
document.addEventListener("change", async (e) => {
  if (e.target.id === "you") { ui.user = e.target.value; localStorage.setItem("cobro.user", ui.user); ui.thread = null; ui.modalKey = ""; if (ui.place.startsWith("D")) ui.place = "D" + ui.user; if (ui.place === "home") await call("home", {}); return refresh(); }
  if (e.target.id === "language") {
    const choice = e.target.value;
    e.target.value = "";
    if (!choice || !ui.user) return;
    // Cobro's own command: the choice is the person's, remembered by Cobro as in Slack.
    ui.place = "D" + ui.user; localStorage.setItem("cobro.place", ui.place);
    await call("command", { channel: ui.place, text: "/cobro language " + choice });
    return refresh();
  }
  const el = e.target.closest("[data-action-id]");
  if (!el || el.tagName === "BUTTON") return;
  const input = el.closest(".blk-input");
  if (input && !input.dataset.dispatch) return;
  if (el.classList.contains("el-choices")) {
    const checked = $$("input:checked", el).map((i) => i.value);
    return act(el, el.dataset.type === "checkboxes" ? { values: checked } : { value: checked[0] || null });
  }
  if (el.multiple) return act(el, { values: [...el.selectedOptions].map((o) => o.value) });
  if (el.value === "" && el.tagName === "SELECT") return;
  await act(el, { value: el.value });
  if (el.dataset.type === "overflow") el.value = "";
});
$("#composer").addEventListener("keydown", async (e) => {
  if (e.key !== "Enter" || e.shiftKey) return;
  e.preventDefault();
  const text = e.target.value.trim();
  if (!text) return;
  if (!text.startsWith("/")) { toast("The console sends slash commands: try /cobro help, /milestone, /aging, /time."); return; }
  e.target.value = "";
  await call("command", { channel: ui.place, text });
});
new EventSource("/console/events").onmessage = () => refresh();
refresh();
`;

export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cobro console</title><meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body>
<aside>
  <h1 id="workspace">Cobro console</h1>
  <label for="you">You are</label><select id="you"></select>
  <label for="language">Cobro speaks to you in</label><select id="language"><option value="">…</option><option value="auto">Your Slack language</option><option value="en">English</option><option value="es">Español</option><option value="fr">Français</option></select>
  <h2>Channels</h2><nav id="channels"></nav>
  <h2>Apps</h2><nav id="apps"></nav>
  <h2>E-mail</h2><nav id="mail"></nav>
  <div class="tools"><button id="scan" title="What the scheduler runs at the workspace's scan hour">Run today's overdue scan</button></div>
</aside>
<main><header id="title"></header><div id="main-body" style="flex:1;display:flex;flex-direction:column;min-height:0"></div>
<input id="composer" placeholder="Type a slash command, e.g. /milestone done, /aging, /cobro help" autocomplete="off"></main>
<section id="thread" hidden><header style="padding:12px 20px;border-bottom:1px solid #ddd;font-weight:700;display:flex;justify-content:space-between">Thread <button class="el-button" id="close-thread">✕</button></header><div id="thread-messages"></div></section>
<div id="overlay" hidden></div><div id="toast" hidden></div>
<script>${SCRIPT}</script>
</body></html>`;
