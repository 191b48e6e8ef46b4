// The fleet's dashboard: polls the JSON API and draws the fleet and one project; text only, never HTML from data.
"use strict";

const api = "/api/v1";
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const statePeriod = 2000;
const workPeriod = 5000;
let lastState = null;
let workTimer = null;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function badge(text, kind) {
  const node = el("span", text, "badge " + (kind || text));
  node.dataset.state = kind || text;
  return node;
}

function cell(row, content, className) {
  const td = el("td", null, className);
  if (content instanceof Node) td.append(content); else td.textContent = content ?? "";
  row.append(td);
  return td;
}

function usd(value) {
  return value === null || value === undefined ? "-" : "$" + value.toFixed(2);
}

function ago(iso, now) {
  if (!iso) return "-";
  const seconds = Math.max(0, (new Date(now) - new Date(iso)) / 1000);
  if (seconds < 60) return Math.round(seconds) + "s ago";
  if (seconds < 3600) return Math.round(seconds / 60) + "m ago";
  if (seconds < 86400) return Math.round(seconds / 3600) + "h ago";
  return Math.round(seconds / 86400) + "d ago";
}

function taskLine(tasks) {
  const parts = ["queued", "running", "passed", "merged", "failed", "blocked", "conflict"]
    .filter(state => tasks[state] > 0).map(state => tasks[state] + " " + state);
  return parts.length ? parts.join(", ") : "none";
}

async function request(method, path) {
  const headers = { "Accept": "application/json" };
  if (method === "POST") headers["X-Dashboard-Csrf"] = csrf;
  const response = await fetch(path, { method, headers, credentials: "same-origin" });
  const body = await response.json().catch(() => ({ message: response.statusText }));
  return { status: response.status, body };
}

function heartbeatBadge(project) {
  const work = project.work;
  const node = work ? badge(work.paused ? work.heartbeat + ", paused" : work.heartbeat, work.heartbeat) : badge("no work cycles", "none");
  node.classList.add("heartbeat");
  if (!work) return node;
  if (work.heartbeat_at) node.title = "last heartbeat " + work.heartbeat_at;
  return node;
}

function engineCell(project) {
  const span = el("span", project.engine.ref + " ");
  if (!project.cloned) span.append(badge("not cloned", "none"));
  else span.append(project.engine.in_sync ? badge("in sync", "in-sync") : badge("drift", "drift"));
  if (project.engine.drift.length) span.title = project.engine.drift.join("\n");
  return span;
}

function drawFleet(state) {
  const fleetName = document.getElementById("fleet-name");
  fleetName.textContent = state.fleet.split("/").pop();
  fleetName.title = state.fleet;
  const t = state.totals;
  document.getElementById("totals").textContent =
    `${t.projects} projects (${t.enabled} enabled) · ${t.agents_running}/${t.agents_total} agents running · tasks: ${taskLine(t.tasks)} · ${usd(t.cost_usd_today)} today, ${usd(t.cost_usd_total)} in all`;
  const body = document.querySelector("#fleet tbody");
  const rows = state.projects.map(project => {
    const row = el("tr");
    row.dataset.project = project.name;
    row.addEventListener("click", () => { location.hash = "#/projects/" + encodeURIComponent(project.name); });
    const name = cell(row, project.name);
    if (project.error) { name.append(" "); name.append(badge("error", "error")); name.title = project.error; }
    cell(row, project.enabled ? "yes" : "no");
    cell(row, engineCell(project));
    cell(row, project.agents ? `${project.agents.running}/${project.agents.total}` : "-", "number agents");
    cell(row, project.watchdog ?? "-");
    cell(row, heartbeatBadge(project));
    cell(row, project.work ? taskLine(project.work.tasks) : "-");
    cell(row, project.work ? usd(project.work.cost_usd_today) : "-", "number");
    cell(row, project.action ? `${project.action.action}: ${project.action.state}` : "");
    return row;
  });
  body.replaceChildren(...rows);
}

function drawProject(project, now) {
  document.getElementById("project-name").textContent = project.name;
  const facts = [project.enabled ? "enabled" : "disabled", project.harness + "@" + project.engine.ref,
    project.engine.in_sync ? "engine in sync" : "engine drift: " + (project.engine.drift.join("; ") || "not cloned"),
    "watchdog " + (project.watchdog ?? "not asked")];
  if (project.work) {
    const work = project.work;
    facts.push("heartbeat " + work.heartbeat + (work.heartbeat_at ? " (" + ago(work.heartbeat_at, now) + ")" : ""));
    if (work.paused) facts.push("paused: " + (work.pause_reason || ""));
    facts.push(usd(work.cost_usd_today) + " today, " + usd(work.cost_usd_total) + " in all");
  } else facts.push("no work cycles");
  if (project.error) facts.push("error: " + project.error);
  document.getElementById("project-facts").textContent = facts.join(" · ");
  const rows = (project.agents ? project.agents.list : []).map(agent => {
    const row = el("tr");
    row.dataset.agent = agent.name;
    cell(row, agent.name);
    cell(row, badge(agent.state));
    cell(row, agent.pid ?? "-", "number");
    cell(row, ago(agent.since, now));
    cell(row, agent.restarts, "number");
    cell(row, ago(agent.last_output, now));
    return row;
  });
  document.querySelector("#agents tbody").replaceChildren(...rows);
  showAction(project.action);
}

function showAction(action) {
  const result = document.getElementById("action-result");
  const output = document.getElementById("action-output");
  for (const button of document.querySelectorAll("#actions button")) button.disabled = !!action && action.state === "running";
  if (!action) { result.textContent = ""; result.className = ""; output.hidden = true; return; }
  result.textContent = `${action.action}: ${action.state} — ${action.message}`;
  result.className = action.state;
  output.hidden = !action.output;
  output.textContent = action.output || "";
}

async function drawWork(name) {
  const [tasks, history] = await Promise.all([
    request("GET", `${api}/projects/${encodeURIComponent(name)}/tasks`),
    request("GET", `${api}/projects/${encodeURIComponent(name)}/history`),
  ]);
  if (currentProject() !== name) return;
  const taskRows = tasks.status === 200 ? tasks.body.tasks.map(task => {
    const row = el("tr");
    row.dataset.task = task.id;
    cell(row, task.id);
    cell(row, task.title);
    cell(row, badge(task.liveness && task.liveness !== "running" ? `${task.state} (${task.liveness})` : task.state, task.state));
    cell(row, task.depends_on.join(", ") || "-");
    cell(row, task.attempts, "number");
    cell(row, usd(task.cost_usd), "number");
    cell(row, task.message || "");
    return row;
  }) : [errorRow(tasks.body.message, 7)];
  document.querySelector("#tasks tbody").replaceChildren(...taskRows);
  const cycleRows = history.status === 200 ? history.body.cycles.map(cycle => {
    const row = el("tr");
    cell(row, cycle.id, "number");
    cell(row, cycle.trigger);
    cell(row, badge(cycle.state));
    cell(row, new Date(cycle.started).toLocaleString());
    cell(row, cycle.planned, "number");
    cell(row, cycle.merged, "number");
    cell(row, cycle.failed, "number");
    cell(row, usd(cycle.cost_usd), "number");
    cell(row, cycle.message || "");
    return row;
  }) : [errorRow(history.body.message, 9)];
  document.querySelector("#history tbody").replaceChildren(...cycleRows);
}

function errorRow(message, span) {
  const row = el("tr");
  const td = cell(row, message);
  td.colSpan = span;
  return row;
}

function currentProject() {
  const match = location.hash.match(/^#\/projects\/(.+)$/);
  return match ? decodeURIComponent(match[1]) : null;
}

async function refresh() {
  const connection = document.getElementById("connection");
  try {
    const { status, body } = await request("GET", `${api}/state`);
    if (status !== 200) throw new Error(body.message);
    lastState = body;
    drawFleet(body);
    const name = currentProject();
    const project = name && body.projects.find(p => p.name === name);
    if (project) drawProject(project, body.now);
    connection.textContent = "updated " + new Date(body.now).toLocaleTimeString();
    connection.className = "muted";
  } catch (error) {
    connection.textContent = "could not update: " + error.message;
    connection.className = "failed";
  }
}

function route() {
  const name = currentProject();
  document.getElementById("fleet-view").hidden = name !== null;
  document.getElementById("project-view").hidden = name === null;
  clearInterval(workTimer);
  if (name === null) return;
  document.querySelector("#tasks tbody").replaceChildren();
  document.querySelector("#history tbody").replaceChildren();
  showAction(null);
  const project = lastState && lastState.projects.find(p => p.name === name);
  if (project) drawProject(project, lastState.now);
  drawWork(name);
  workTimer = setInterval(() => drawWork(name), workPeriod);
}

async function act(action, noPlan) {
  const name = currentProject();
  if (!name) return;
  showAction({ action, state: "running", message: "sent", output: null });
  const query = noPlan ? "?no_plan=1" : "";
  const { body } = await request("POST", `${api}/projects/${encodeURIComponent(name)}/${action}${query}`);
  if (body.action) showAction(body); else showAction({ action, state: "failed", message: body.message });
  await refresh();
  drawWork(name);
}

for (const button of document.querySelectorAll("#actions button"))
  button.addEventListener("click", () => act(button.dataset.action, button.dataset.noPlan === "1"));
window.addEventListener("hashchange", route);
refresh().then(route);
setInterval(refresh, statePeriod);
