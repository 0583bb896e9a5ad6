// A minimal hand-written simulator, the yardstick for the engine's own speed (issue: "within 1.5
// times a minimal simulator, end to end, digest included"). The same closed loop as the bench
// scenario: N nodes, each keeping one request outstanding to a random other node, uniform 1-10 ms
// latency, loss 5%, a 50 ms timeout and 3 retries, zero processing time, for 250 virtual seconds.
// Every event is recorded in typed-array columns (time, kind, node, ref): issue, send, deliver,
// process, execute, answer, deliver, accept per request, as the engine does; then hashed with SHA-256.
// Plain JavaScript, one file, no engine: run as `node scripts/bench/minimal-sim.mjs [nodes] [seconds]`.
import { createHash } from "node:crypto";

const N = Number(process.argv[2] ?? 100);
const UNTIL_US = Number(process.argv[3] ?? 250) * 1e6;
const TIMEOUT_US = 50_000;
const RETRIES = 3;
const LOSS = 0.05;

// xoshiro128** seeded by splitmix32.
let s0 = 0x9e3779b9, s1 = 0x243f6a88, s2 = 0xb7e15162, s3 = 0x7f4a7c15;
function rnd() {
  const m = Math.imul(s1, 5);
  const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
  s3 = (s3 << 11) | (s3 >>> 21);
  return r / 4294967296;
}

// Binary heap of (time, seq) -> slot; payload kind/a/b per slot.
let cap = 1 << 16;
let hT = new Float64Array(cap), hS = new Float64Array(cap), hI = new Int32Array(cap);
let pK = new Uint8Array(cap), pA = new Int32Array(cap), pB = new Int32Array(cap);
let size = 0, seq = 0, slots = 0, free = [];
function push(t, k, a, b) {
  let slot = free.length ? free.pop() : slots++;
  if (slot >= pK.length || size >= hT.length) growAll();
  pK[slot] = k; pA[slot] = a; pB[slot] = b;
  let i = size++; const q = seq++;
  while (i > 0) { const p = (i - 1) >> 1; if (hT[p] < t || (hT[p] === t && hS[p] < q)) break; hT[i] = hT[p]; hS[i] = hS[p]; hI[i] = hI[p]; i = p; }
  hT[i] = t; hS[i] = q; hI[i] = slot;
}
function growAll() {
  const g = (a) => { const b = new a.constructor(a.length * 2); b.set(a); return b; };
  hT = g(hT); hS = g(hS); hI = g(hI); pK = g(pK); pA = g(pA); pB = g(pB);
}
function pop() {
  const top = hI[0]; const n = --size;
  if (n > 0) {
    const t = hT[n], q = hS[n], s = hI[n]; let i = 0;
    while (2 * i + 1 < n) { let c = 2 * i + 1; if (c + 1 < n && (hT[c + 1] < hT[c] || (hT[c + 1] === hT[c] && hS[c + 1] < hS[c]))) c++; if (t < hT[c] || (t === hT[c] && q < hS[c])) break; hT[i] = hT[c]; hS[i] = hS[c]; hI[i] = hI[c]; i = c; }
    hT[i] = t; hS[i] = q; hI[i] = s;
  }
  return top;
}

// Trace columns.
let tc = 1 << 20, len = 0;
let tT = new Float64Array(tc), tK = new Uint8Array(tc), tN = new Uint16Array(tc), tR = new Int32Array(tc);
function rec(t, k, n, r) {
  if (len === tT.length) { const g = (a) => { const b = new a.constructor(a.length * 2); b.set(a); return b; }; tT = g(tT); tK = g(tK); tN = g(tN); tR = g(tR); }
  tT[len] = t; tK[len] = k; tN[len] = n; tR[len] = r; len++;
}

// Requests: client, target, attempt, done.
let rq = 1 << 16, rCount = 0;
let rC = new Int32Array(rq), rT = new Int32Array(rq), rAtt = new Int32Array(rq), rDone = new Uint8Array(rq);
const SEND = 0, DELIVER = 1, TIMEOUT = 2, PROCESS = 7; // queue kinds; trace kinds add DROP=3, ACCEPT=4, FAIL=5, EXEC=6, ISSUE=8
function issue(t, c) {
  const r = rCount++;
  if (r === rC.length) { const g = (a) => { const b = new a.constructor(a.length * 2); b.set(a); return b; }; rC = g(rC); rT = g(rT); rAtt = g(rAtt); rDone = g(rDone); }
  let target = Math.floor(rnd() * (N - 1)); if (target >= c) target++;
  rC[r] = c; rT[r] = target; rAtt[r] = 0; rDone[r] = 0;
  rec(t, 8, c, r);
  send(t, r);
}
function send(t, r) {
  rAtt[r]++;
  rec(t, SEND, rC[r], r);
  transmit(t, r, 0);
  push(t + TIMEOUT_US, TIMEOUT, r, rAtt[r]);
}
function transmit(t, r, isResponse) {
  const lat = Math.round(1000 + rnd() * 9000);
  if (rnd() < LOSS) { rec(t, 3, isResponse ? rT[r] : rC[r], r); return; }
  push(t + lat, DELIVER, r, isResponse);
}

for (let c = 0; c < N; c++) issue(0, c);
let events = 0;
const t0 = performance.now();
while (size > 0) {
  const t = hT[0];
  if (t > UNTIL_US) break;
  const slot = pop(); free.push(slot);
  const k = pK[slot], r = pA[slot], b = pB[slot];

  if (k === TIMEOUT) {
    if (rDone[r] || rAtt[r] !== b) continue;
    events++;
    if (b > RETRIES) { rDone[r] = 2; rec(t, 5, rC[r], r); issue(t, rC[r]); } else send(t, r);
  } else if (k === PROCESS) {
    // The server's processing (zero time, as in the bench scenario): execute and answer.
    events++;
    rec(t, PROCESS, rT[r], r); rec(t, 6, rT[r], r); rec(t, SEND, rT[r], r); transmit(t, r, 1);
  } else if (k === DELIVER) {
    events++;
    if (b === 0) { rec(t, DELIVER, rT[r], r); push(t, PROCESS, r, 0); }
    else { rec(t, DELIVER, rC[r], r); if (!rDone[r]) { rDone[r] = 1; rec(t, 4, rC[r], r); issue(t, rC[r]); } }
  }
}
const simMs = performance.now() - t0;
const h = createHash("sha256");
const view = (a) => new Uint8Array(a.buffer, 0, len * a.BYTES_PER_ELEMENT);
h.update(view(tT)); h.update(view(tK)); h.update(view(tN)); h.update(view(tR));
const digest = h.digest("hex");
console.log(JSON.stringify({ nodes: N, events, traceRecords: len, requests: rCount, simMs: Math.round(simMs), digest }));
