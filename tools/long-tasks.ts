import type { BrowserContext, Page } from 'playwright-core';

/** One task of a page's main thread, and how much of it ran the extension's code. */
export interface MainThreadTask {
  /** Start, in ms since the trace began. */
  at: number;
  /** The whole task, ms. */
  ms: number;
  /** The part of it with a chrome-extension:// script on the stack, ms (CPU profile samples). */
  extensionMs: number;
  /** Where that time went, ms, most first: the extension's outermost frames ("readAndBadge > scan > Fe > closest"). */
  extensionStacks: [string, number][];
}

export interface MainThreadTrace {
  tasks: MainThreadTask[];
  /** Profile samples with an extension script on the stack, over all of the page's main threads. */
  extensionSamples: number;
  /** Sum of extensionMs. */
  extensionMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { url?: string; functionName?: string };
}

interface Profile {
  tid: number;
  start: number;
  nodes: Map<number, ProfileNode>;
  samples: number[];
  deltas: number[];
}

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'];
/** One sample per millisecond: enough to charge a 50 ms budget, light enough not to slow the scripts it watches. */
const SAMPLING_US = 1000;

/**
 * Runs `during` while Chromium traces the page's renderer and V8 samples its stack once a
 * millisecond (the CPU profiler DevTools uses, at a fifth of its tracing rate, which doubled the
 * time of the scripts it watched), then splits the renderer main thread's time into tasks and
 * charges each task with the samples that have an extension script on the stack: "attributable to
 * the extension" as the RELIABILITY budget means it (row 14). Only the page's renderer counts, not
 * the extension's own process. The page must stay in one renderer process meanwhile (same-site
 * navigations only): the profile is of the renderer the page was in when `during` began.
 */
export async function traceMainThread(context: BrowserContext, page: Page, during: () => Promise<void>): Promise<MainThreadTrace> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
  await cdp.send('Profiler.start');
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReturnAsStream' });
  let events: TraceEvent[];
  try {
    await during();
  } finally {
    const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { stream } = await complete;
    let text = '';
    for (;;) {
      const chunk = (await cdp.send('IO.read', { handle: stream! })) as { data: string; eof: boolean; base64Encoded?: boolean };
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream! });
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CdpProfile };
    await cdp.detach();
    const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
    events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
    events.push(...asTraceEvents(events, profile));
  }
  return attribute(events);
}

interface CdpProfile {
  nodes: (ProfileNode & { children?: number[] })[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * The CDP profile as the trace's own CPU profile events ("Profile", "ProfileChunk") of the page's
 * renderer main thread. Which renderer: the one whose tasks hold the profile's busy samples (the
 * profile is of one isolate; other renderers' tasks do not line up with its samples).
 */
function asTraceEvents(events: TraceEvent[], profile: CdpProfile): TraceEvent[] {
  // CDP lists children; the trace format (and attribute) names parents.
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const nodes: ProfileNode[] = profile.nodes.map(({ id, callFrame }) => ({ id, callFrame, ...(parents.has(id) && { parent: parents.get(id) }) }));
  const idle = new Set(
    profile.nodes.filter((n) => ['(idle)', '(program)', '(root)', '(garbage collector)'].includes(n.callFrame.functionName ?? '')).map((n) => n.id),
  );
  const busy: number[] = [];
  let t = profile.startTime;
  (profile.timeDeltas ?? []).forEach((delta, i) => {
    t += delta;
    if (!idle.has(profile.samples?.[i] ?? -1)) busy.push(t);
  });
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best: { pid: number; tid: number; hits: number } | null = null;
  for (const main of mains) {
    const tasks = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur !== undefined && e.name.endsWith('RunTask'));
    const hits = busy.filter((at) => tasks.some((task) => at >= task.ts && at <= task.ts + task.dur!)).length;
    if (!best || hits > best.hits) best = { pid: main.pid, tid: main.tid, hits };
  }
  if (!best || best.hits === 0) return [];
  const base = { pid: best.pid, tid: best.tid, ts: profile.startTime, id: 'cdp' };
  return [
    { ...base, name: 'Profile', ph: 'P', args: { data: { startTime: profile.startTime } } },
    { ...base, name: 'ProfileChunk', ph: 'P', args: { data: { cpuProfile: { nodes, samples: profile.samples ?? [] }, timeDeltas: profile.timeDeltas ?? [] } } },
  ];
}

/** Per-task extension time from a Chromium trace with CPU profile chunks. Exported for its test. */
export function attribute(events: TraceEvent[]): MainThreadTrace {
  const processName = new Map<number, string>();
  const threadName = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') processName.set(e.pid, String(e.args?.name));
    if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  }
  const profiles = new Map<string, Profile>();
  for (const e of events) {
    if (e.name !== 'Profile') continue;
    profiles.set(`${e.pid}:${e.id}`, { tid: e.tid, start: Number(e.args?.data?.startTime), nodes: new Map(), samples: [], deltas: [] });
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk') continue;
    const profile = profiles.get(`${e.pid}:${e.id}`);
    const data = e.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined;
    if (!profile || !data) continue;
    for (const node of data.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
    profile.samples.push(...(data.cpuProfile?.samples ?? []));
    profile.deltas.push(...(data.timeDeltas ?? []));
  }
  // "RunTask" comes with the devtools.timeline categories; the scheduler's own event otherwise.
  const taskEvent = events.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask';
  const origin = Math.min(...events.filter((e) => e.ph === 'X' || e.ph === 'B').map((e) => e.ts));
  const tasks: MainThreadTask[] = [];
  let extensionSamples = 0;
  for (const [key, profile] of profiles) {
    const pid = Number(key.split(':')[0]);
    // Web pages only: the extension's own pages and worker live in the "Extension Renderer".
    if (processName.get(pid) !== 'Renderer' || threadName.get(`${pid}:${profile.tid}`) !== 'CrRendererMain') continue;
    const fromExtension = new Map<number, boolean>();
    const isExtension = (id: number): boolean => {
      const known = fromExtension.get(id);
      if (known !== undefined) return known;
      const node = profile.nodes.get(id);
      const result = !!node && ((node.callFrame.url ?? '').startsWith('chrome-extension://') || (node.parent !== undefined && isExtension(node.parent)));
      fromExtension.set(id, result);
      return result;
    };
    // Sample i covers the time from its own timestamp to the next sample's.
    const times: number[] = [];
    let t = profile.start;
    for (const delta of profile.deltas) times.push((t += delta));
    // The extension's outermost three frames, and the leaf when it is a browser built-in (querySelectorAll).
    const stackOf = (id: number): string => {
      const names: string[] = [];
      for (let node = profile.nodes.get(id); node; node = node.parent === undefined ? undefined : profile.nodes.get(node.parent)) {
        if ((node.callFrame.url ?? '').startsWith('chrome-extension://')) names.unshift(node.callFrame.functionName || '(anonymous)');
      }
      const leaf = profile.nodes.get(id)?.callFrame;
      const builtIn = leaf && !leaf.url && leaf.functionName ? [leaf.functionName] : [];
      return [...names.slice(0, 3), ...builtIn].join(' > ');
    };
    const spans = profile.samples.map((id, i) => ({ id, from: times[i], to: times[i + 1] ?? times[i], ext: isExtension(id) }));
    extensionSamples += spans.filter((s) => s.ext).length;
    const own = events
      .filter((e) => e.name === taskEvent && e.ph === 'X' && e.pid === pid && e.tid === profile.tid && e.dur !== undefined)
      .sort((a, b) => a.ts - b.ts);
    let first = 0;
    for (const task of own) {
      const end = task.ts + task.dur!;
      while (first < spans.length && spans[first].to < task.ts) first++;
      let ext = 0;
      const stacks = new Map<string, number>();
      for (let i = first; i < spans.length && spans[i].from <= end; i++) {
        if (!spans[i].ext) continue;
        const us = Math.max(0, Math.min(spans[i].to, end) - Math.max(spans[i].from, task.ts));
        ext += us;
        const stack = stackOf(spans[i].id);
        stacks.set(stack, (stacks.get(stack) ?? 0) + us / 1000);
      }
      const extensionStacks = [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 3);
      tasks.push({ at: (task.ts - origin) / 1000, ms: task.dur! / 1000, extensionMs: ext / 1000, extensionStacks });
    }
  }
  tasks.sort((a, b) => a.at - b.at);
  return { tasks, extensionSamples, extensionMs: tasks.reduce((sum, task) => sum + task.extensionMs, 0) };
}
